// Entry point: parse flags, dispatch, and turn every expected failure into a message and an exit code
// (2 usage/input, 1 failed step or check, 130 interrupted) — never a stack trace for those.
import { existsSync } from 'node:fs';
import { EXIT, InterruptedError, QuitError, WizardError } from '../errors.js';
import { redactText, shownValue } from '../secrets/keyLike.js';
import { askBlocker, canUseInteractiveUi } from '../ui/env.js';
import { setPromptSignal } from '../ui/prompts/io.js';
import { restoreTerminal } from '../ui/terminal.js';
import { type CliArgs, parseCli } from './args.js';
import { HELP } from './help.js';
import { note } from './out.js';
import { rerunCommand, stateWritten, withModeFlags } from './rerun.js';

const VERSION = '0.1.0';

async function dispatch(args: CliArgs, signal: AbortSignal, cleanups: (() => void)[]): Promise<number> {
  if (args.help || args.command === 'help') {
    process.stderr.write(HELP);
    return EXIT.ok;
  }
  if (args.version) {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  // A person can be asked (prompts); the Ink step list needs more (a sized terminal that is not dumb).
  const interactive = askBlocker() === undefined && !args.yes;
  if (interactive && canUseInteractiveUi() && args.command === 'run') {
    // ink + react load while the person answers the first questions.
    void import('../ui/preload.js').then((m) => m.preloadInkUi());
  }
  const env = { signal, interactive, onCleanup: (fn: () => void) => cleanups.push(fn) };
  await lockStateDir(args, signal, cleanups);
  switch (args.command) {
    case 'steps':
      return (await import('./commands/steps.js')).stepsCommand(args);
    case 'verify':
      return (await import('./commands/verify.js')).verifyCommand(args, env);
    case 'teardown':
      return (await import('./commands/teardown.js')).teardownCommand(args, env);
    default:
      return (await import('./commands/run.js')).runCommand(args, env);
  }
}

/**
 * One command per state directory at a time, for the whole command. verify and teardown only read what a run left,
 * so they do not create a state directory that is not there.
 */
async function lockStateDir(args: CliArgs, signal: AbortSignal, cleanups: (() => void)[]): Promise<void> {
  if (args.command === 'steps') return;
  if (args.command !== 'run' && !existsSync(args.stateDir)) return;
  const { acquireStateLock } = await import('../state/lock.js');
  const lock = await acquireStateLock(args.stateDir, {
    command: commandLine(),
    wait: args.waitLock,
    signal,
    onWait: (holder) => note(`waiting for the state directory ${args.stateDir}: held by ${holder}`),
  });
  // Released by restore(): on return, on an error and on a second Ctrl-C alike.
  cleanups.push(() => lock.release());
}

/** The command line as the lock file records it; any argument that looks like key material is not written. */
function commandLine(): string {
  const text = ['wizard', ...process.argv.slice(2).map(shownValue)].join(' ');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const cleanups: (() => void)[] = [];
  const restore = () => {
    restoreTerminal();
    for (const fn of cleanups.splice(0)) {
      try {
        fn();
      } catch {}
    }
  };
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts += 1;
    controller.abort(new InterruptedError());
    if (interrupts > 1) {
      // A second Ctrl-C: stop now. The state file was saved after the last finished step.
      restore();
      process.stderr.write('\ninterrupted\n');
      process.exit(EXIT.interrupted);
    }
    // Through note(): above the live area while the Ink UI draws one. The newline ends the line the ^C echo is on.
    note(
      `\n${sig === 'SIGINT' ? 'interrupted' : 'terminated'}: stopping after saving the state (again to stop now)`,
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  setPromptSignal(controller.signal);

  let args: CliArgs | undefined;
  try {
    args = parseCli(argv);
    return await dispatch(args, controller.signal, cleanups);
  } catch (err) {
    restore();
    return report(err, args);
  } finally {
    restore();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    setPromptSignal(undefined);
  }
}

function report(err: unknown, args: CliArgs | undefined): number {
  const again = (extra = '') => rerunCommand(args, extra);
  if (err instanceof QuitError) {
    note(`stopped at ${err.step}; ${again(` --from ${err.step}`)} resumes`);
    return EXIT.ok;
  }
  if (err instanceof InterruptedError || (err as { name?: string })?.name === 'ExitPromptError') {
    // Only what is true: answers and progress are saved as soon as they are complete, not before.
    const written = args ? stateWritten(args.stateDir) : 'never';
    note(
      written === 'now'
        ? `interrupted: progress is saved; ${again()} resumes`
        : written === 'before'
          ? `interrupted: nothing new was saved (the earlier state is kept); ${again()} resumes it`
          : 'interrupted: nothing was saved',
    );
    return EXIT.interrupted;
  }
  if (err instanceof WizardError) {
    // A failed step was shown by the UI already (its error under the step): say it once, not again here.
    // Messages quote what a person gave; whatever slipped past the field checks, no key leaves this way.
    note(
      err.shown ? 'stopped: a step failed (its error is shown above)' : `error: ${redactText(err.message)}`,
    );
    if (err.hint) note(`hint: ${redactText(args ? withModeFlags(err.hint, args) : err.hint)}`);
    return err.exitCode;
  }
  const fsCode = (err as NodeJS.ErrnoException)?.code;
  if (fsCode === 'EROFS' || fsCode === 'ENOSPC' || fsCode === 'EDQUOT') {
    // A write outside the places that name their directory: still say what failed, without a stack.
    const file = (err as NodeJS.ErrnoException).path;
    note(
      `error: cannot write ${file ? shownValue(file) : 'a file'}: ${(err as Error).message.split(',')[0]}`,
    );
    return EXIT.failed;
  }
  // Not an expected failure: show everything, it is a bug.
  note(`internal error: ${redactText(err instanceof Error ? (err.stack ?? err.message) : String(err))}`);
  note('please report this with the command line you ran');
  return EXIT.failed;
}
