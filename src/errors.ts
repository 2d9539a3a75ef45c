// Expected failures carry their exit code and a message meant for a person; the CLI prints them without a stack.

/** Exit codes: 2 usage/input, 1 a step or check failed, 130 interrupted. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export class WizardError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
    /** One-line hint: what to do next. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'WizardError';
  }

  /** Already on screen (a failed step's error under its row): the CLI then only says that it stopped. */
  shown = false;
}

/** Bad flags or config: exit 2. `issues` are `path: message` lines. */
export class UsageError extends WizardError {
  constructor(
    message: string,
    readonly issues: string[] = [],
    hint?: string,
  ) {
    super(
      issues.length ? `${message}\n${issues.map((i) => `  - ${i}`).join('\n')}` : message,
      EXIT.usage,
      hint,
    );
    this.name = 'UsageError';
  }
}

export class InterruptedError extends WizardError {
  constructor() {
    super('interrupted', EXIT.interrupted);
    this.name = 'InterruptedError';
  }
}

/** The person chose Quit at a step's question: not a failure and not a signal (exit 0); the run resumes there. */
export class QuitError extends WizardError {
  constructor(readonly step: string) {
    super(`stopped at ${step}`, EXIT.ok);
    this.name = 'QuitError';
  }
}
