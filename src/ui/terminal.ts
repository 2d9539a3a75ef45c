// Putting the terminal back after Ctrl-C / SIGTERM: the CLI's signal handler calls this. Idempotent and
// synchronous (a signal handler must not wait), and free of ink/react so it can be imported anywhere.

/** Shows the cursor (Ink and prompts hide it) and takes stdin out of raw mode (prompts set it). */
export function restoreTerminal(
  streams: {
    stdin: { isTTY?: boolean; isRaw?: boolean; setRawMode?: (raw: boolean) => unknown };
    stderr: { isTTY?: boolean; write(s: string): unknown };
  } = process,
): void {
  const { stdin, stderr } = streams;
  try {
    if (stdin.isTTY && stdin.isRaw && typeof stdin.setRawMode === 'function') stdin.setRawMode(false);
  } catch {
    // stdin may already be destroyed on the way out.
  }
  try {
    if (stderr.isTTY) stderr.write('\u001b[?25h');
  } catch {
    // Same for stderr.
  }
}
