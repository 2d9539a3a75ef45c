// Notes for a person go to stderr; stdout carries only machine output (YAML, JSON).
import { redactText } from '../secrets/keyLike.js';

let sink: ((line: string) => void) | undefined;

/**
 * While the Ink UI draws its live area, notes go above it through the UI (written straight to stderr they would
 * shift the frame, and Ink's next redraw would erase the note and leave the frame's top behind).
 */
export function setNoteSink(fn: ((line: string) => void) | undefined): void {
  sink = fn;
}

/** Every note (warnings included) passes the key-material redaction: values in them came from the person. */
export function note(line: string): void {
  const text = redactText(line);
  if (sink) sink(text);
  else process.stderr.write(`${text}\n`);
}
