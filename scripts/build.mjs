// Bundles the CLI with esbuild. Heavy modules (@kubernetes/client-node, ink/react, selfsigned, execa) are only
// reached through dynamic import(), so with code splitting the dry-run path never loads them (see bench/).
// The bundle is written to a temporary folder and swapped in with renames, so a wizard process started while a
// build runs (tests run in parallel) never sees a half-written dist/.

import { chmod, rename, rm } from 'node:fs/promises';
import { build } from 'esbuild';

const tmp = `dist.tmp-${process.pid}`;
const old = `dist.old-${process.pid}`;
await rm(tmp, { recursive: true, force: true });
await build({
  entryPoints: { wizard: 'src/cli/bin.ts' },
  outdir: tmp,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  sourcemap: false,
  legalComments: 'none',
  // client-node pulls in many CJS deps that do not bundle cleanly; it stays a runtime dependency.
  external: ['@kubernetes/client-node', 'react-devtools-core'],
  banner: {
    js: "import { createRequire as __wizCreateRequire } from 'node:module'; const require = __wizCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
await chmod(`${tmp}/wizard.js`, 0o755);
await rename('dist', old).catch(() => {});
await rename(tmp, 'dist');
await rm(old, { recursive: true, force: true });
