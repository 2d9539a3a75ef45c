#!/usr/bin/env node
// The entry point does one thing before anything is loaded: take over SIGINT and SIGTERM. Until main() installs its
// own handlers (which save the state and restore the terminal), an interrupt has nothing to save, so it simply
// exits 130 — instead of Node's default of dying by the signal while the bundle is still loading. No static import
// here: every import would be loaded (and could be interrupted) before these lines run.
// The same listeners stay installed for the whole life of the process, so the signal is never back at Node's default
// for an instant (removing the last listener restores it): while main() runs, its own handlers own the signal.
let phase: 'loading' | 'main' | 'finished' = 'loading';
const outsideMain = (sig: NodeJS.Signals) => {
  if (phase === 'main') return;
  // Finished, but an interrupt during the short wait below still means "interrupted", like everywhere else.
  if (phase === 'loading') process.stderr.write(`\n${sig === 'SIGINT' ? 'interrupted' : 'terminated'}\n`);
  process.exit(130);
};
process.on('SIGINT', outsideMain);
process.on('SIGTERM', outsideMain);

const { main } = await import('./main.js');
// main() installs its handlers synchronously, before its first await: there is no moment without one.
phase = 'main';
const code = await main(process.argv.slice(2));
phase = 'finished';
process.exitCode = code;
// Pipes and files are written synchronously on Linux, so nothing printed is lost; a keep-alive socket left open by
// a client library must not keep a finished command alive.
setTimeout(() => process.exit(code), 200).unref();
