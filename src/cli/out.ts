// Notes for a person go to stderr; stdout carries only machine output (YAML, JSON).
import { redactText } from '../secrets/keyLike.js';

/** Every note (warnings included) passes the key-material redaction: values in them came from the person. */
export function note(line: string): void {
  process.stderr.write(`${redactText(line)}\n`);
}
