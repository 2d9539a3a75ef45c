#!/usr/bin/env node
// The entry point does one thing before anything is loaded: take over SIGINT and SIGTERM. Until main() installs its
// own handlers (which save the state and restore the terminal), an interrupt has nothing to save, so it simply
// exits 130 — instead of Node's default of dying by the signal while the bundle is still loading. No static import
// here: every import would be loaded (and could be interrupted) before these lines run.
const early = (sig: NodeJS.Signals) => {
  process.stderr.write(`\n${sig === 'SIGINT' ? 'interrupted' : 'terminated'}\n`);
  process.exit(130);
};
process.on('SIGINT', early);
process.on('SIGTERM', early);

const { main } = await import('./main.js');
// main() installs its handlers synchronously, before its first await: there is no moment without one.
const running = main(process.argv.slice(2));
process.off('SIGINT', early);
process.off('SIGTERM', early);
const code = await running;
process.exitCode = code;
// Finished, but an interrupt during the short wait below still means "interrupted", like everywhere else.
const late = () => process.exit(130);
process.on('SIGINT', late);
process.on('SIGTERM', late);
// Pipes and files are written synchronously on Linux, so nothing printed is lost; a keep-alive socket left open by
// a client library must not keep a finished command alive.
setTimeout(() => process.exit(code), 200).unref();
