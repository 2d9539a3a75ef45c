// Imports TypeScript sources (src/, test support) into a bench script: esbuild bundles the given re-exports into a
// temp file under node_modules/.cache, so bare imports still resolve from the repository's node_modules.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * `entry` is module text relative to the repository root (`export { x } from './src/….ts';`). Returns the module,
 * the bundle's file (for a child process to import) and a cleanup that removes it.
 */
export async function importTs(entry, name) {
  const cacheDir = path.join(repo, 'node_modules', '.cache');
  await mkdir(cacheDir, { recursive: true });
  const tmp = await mkdtemp(path.join(cacheDir, `bench-${name}-`));
  const outfile = path.join(tmp, 'bench.mjs');
  await build({
    stdin: { contents: entry, resolveDir: repo, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
    // The test-support modules find their scripts and fixtures relative to their own file: keep each module's
    // import.meta.url pointing at its source file, not at the bundle.
    plugins: [
      {
        name: 'source-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.tsx?$/ }, async (args) => ({
            contents: (await readFile(args.path, 'utf8')).replaceAll(
              'import.meta.url',
              JSON.stringify(pathToFileURL(args.path).href),
            ),
            loader: args.path.endsWith('x') ? 'tsx' : 'ts',
          }));
        },
      },
    ],
  });
  const m = await import(outfile);
  return { m, file: outfile, cleanup: () => rm(tmp, { recursive: true, force: true }) };
}
