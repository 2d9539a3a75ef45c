// Notes for a person go to stderr; stdout carries only machine output (YAML, JSON).
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}
