// How much of the live area fits the terminal. Ink clears the whole screen — scrollback included — whenever its
// live output is as tall as the terminal, which would wipe the plans printed above; so the live area is kept
// below the terminal's height: the step list first, then the wait progress, the target line, and output lines.

export interface LiveLayout {
  /** The full step list, or one row for the current step when the terminal is too short. */
  list: 'full' | 'compact';
  header: boolean;
  progress: boolean;
  /** Output lines of the running step to show (0: none). */
  logLines: number;
}

const MAX_LOG_LINES = 6;
const FALLBACK_ROWS = 24;

export function liveLayout(opts: {
  rows: number | undefined;
  steps: number;
  hasProgress: boolean;
  hasTarget: boolean;
  hasLogs: boolean;
}): LiveLayout {
  const rows = opts.rows && opts.rows > 0 ? opts.rows : FALLBACK_ROWS;
  // One line for Ink's trailing newline and one to spare.
  let room = rows - 2;
  const progressRows = opts.hasProgress ? 1 : 0;
  if (room < opts.steps + progressRows) {
    return { list: 'compact', header: false, progress: opts.hasProgress && room >= 2, logLines: 0 };
  }
  room -= opts.steps + progressRows;
  const header = opts.hasTarget && room >= 1;
  if (header) room -= 1;
  // LiveOutput adds a "… n earlier lines" line above what it shows.
  const logLines = opts.hasLogs && room >= 2 ? Math.min(MAX_LOG_LINES, room - 1) : 0;
  return { list: 'full', header, progress: opts.hasProgress, logLines };
}
