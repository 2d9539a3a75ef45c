// Terminal capability decisions in one place: colour (NO_COLOR / FORCE_COLOR / TERM=dumb) and whether the
// interactive UI may be used at all. No ink/react here: the plain path must stay cheap to import.

type Env = Record<string, string | undefined>;

/** FORCE_COLOR=0/false means "force off", as in chalk/supports-color. */
function forceColor(env: Env): boolean | undefined {
  const v = env.FORCE_COLOR;
  if (v === undefined) return undefined;
  return !(v === '0' || v.toLowerCase() === 'false');
}

/**
 * Colour for a stream: NO_COLOR (any non-empty value) wins, then FORCE_COLOR, then TERM=dumb (off), then isTTY.
 * `ttyDefault: false` is for the plain renderer, which colours only when FORCE_COLOR asks for it.
 */
export function colorFor(
  stream: { isTTY?: boolean },
  env: Env = process.env,
  opts: { ttyDefault?: boolean } = {},
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const forced = forceColor(env);
  if (forced !== undefined) return forced;
  if (env.TERM === 'dumb') return false;
  return (opts.ttyDefault ?? true) && stream.isTTY === true;
}

/**
 * CI systems set CI (GitHub, GitLab, Buildkite, …); CI=false or 0 is an explicit "not CI". Same rule as Ink's
 * is-in-ci (even an empty CI counts), so we never pick the Ink UI where Ink itself would behave as in CI.
 */
export function isCi(env: Env = process.env): boolean {
  const check = (key: string) => key in env && env[key] !== '0' && env[key]?.toLowerCase() !== 'false';
  return check('CI') || check('CONTINUOUS_INTEGRATION');
}

/**
 * The interactive (Ink + prompts) UI needs a TTY on both ends: keys in on stdin, frames out on stderr. With CI
 * set or TERM=dumb we use plain lines even on a TTY (no cursor movement in logs, no redraws on dumb terminals).
 * Returns why it cannot be used here (for messages), or undefined when it can.
 */
export function interactiveUiBlocker(
  streams: {
    stdin: { isTTY?: boolean };
    stderr: { isTTY?: boolean; columns?: number; rows?: number };
  } = process,
  env: Env = process.env,
): string | undefined {
  if (isCi(env)) return 'CI is set';
  if (env.TERM === 'dumb') return 'TERM=dumb';
  if (streams.stdin.isTTY !== true) return 'stdin is not a terminal';
  if (streams.stderr.isTTY !== true) return 'stderr is not a terminal';
  // A pty nobody sized (0 × 0, e.g. under `script` without a terminal) would make Ink draw one character per
  // line and clear the screen on every frame: use plain lines there.
  const { columns, rows } = streams.stderr;
  if (columns === 0 || rows === 0) return 'the terminal has no size';
  return undefined;
}

export function canUseInteractiveUi(
  streams?: Parameters<typeof interactiveUiBlocker>[0],
  env?: Env,
): boolean {
  return interactiveUiBlocker(streams, env) === undefined;
}

/**
 * Whether a person can be asked at all: keys in on stdin, prompts out on stderr, not CI. A dumb or unsized
 * terminal still can (plain line prompts); it only cannot have the Ink UI. Returns why not, or undefined.
 */
export function askBlocker(
  streams: { stdin: { isTTY?: boolean }; stderr: { isTTY?: boolean } } = process,
  env: Env = process.env,
): string | undefined {
  if (isCi(env)) return 'CI is set';
  if (streams.stdin.isTTY !== true) return 'stdin is not a terminal';
  if (streams.stderr.isTTY !== true) return 'stderr is not a terminal';
  return undefined;
}

/** Whether we may ask a question at all (prompts render on stderr but read stdin). */
export function canPrompt(stdin: { isTTY?: boolean } = process.stdin, env: Env = process.env): boolean {
  return stdin.isTTY === true && !isCi(env);
}
