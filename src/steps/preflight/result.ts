// One preflight finding: pass / warn / fail, a one-line summary and, for warn/fail, a one-line fix.
export type CheckLevel = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  level: CheckLevel;
  /** What was checked and what was found, one line. */
  message: string;
  /** What to do about a warn/fail, one line. */
  fix?: string;
}

export const pass = (message: string): CheckResult => ({ level: 'pass', message });
export const warn = (message: string, fix?: string): CheckResult => ({ level: 'warn', message, fix });
export const fail = (message: string, fix?: string): CheckResult => ({ level: 'fail', message, fix });

/** `PASS  …`, `WARN  … — fix: …`: words, not only symbols, so logs and screen readers say it plainly. */
export function formatCheck(r: CheckResult): string {
  const word = r.level.toUpperCase().padEnd(4);
  return `${word}  ${r.message}${r.fix ? ` — fix: ${r.fix}` : ''}`;
}
