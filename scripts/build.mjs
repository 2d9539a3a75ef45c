// Bundles the CLI with esbuild. Heavy modules (@kubernetes/client-node, ink/react) are only reached through
// dynamic import(), so with code splitting the dry-run path never loads them (startup time matters: see bench/).
import { build } from 'esbuild';
import { chmod, rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await build({
  entryPoints: { wizard: 'src/cli/bin.ts' },
  outdir: 'dist',
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
await chmod('dist/wizard.js', 0o755);
