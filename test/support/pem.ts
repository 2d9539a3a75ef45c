// PEM armour assembled at run time: tests need private-key-looking text (to prove it is redacted or refused), and
// the repository must hold no private-key block as a literal.
const DASHES = '-'.repeat(5);

export const pemBegin = (label: string): string => `${DASHES}BEGIN ${label}${DASHES}`;
export const pemEnd = (label: string): string => `${DASHES}END ${label}${DASHES}`;

/** A fake (truncated, not a real key) PEM block with the given label, e.g. 'PRIVATE KEY' or 'EC PRIVATE KEY'. */
export function fakePem(label: string, body: string): string {
  return `${pemBegin(label)}\n${body}\n${pemEnd(label)}\n`;
}
