// Where the package lives, whether this code runs from src/ (vitest, tsx) or bundled in dist/ (the CLI):
// walk up from this module until the package.json that names this package.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'istio-ingress-wizard';

let cached: string | undefined;

export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  if (cached && from === fileURLToPath(import.meta.url)) return cached;
  let dir = path.dirname(from);
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === PACKAGE_NAME) {
          if (from === fileURLToPath(import.meta.url)) cached = dir;
          return dir;
        }
      } catch {
        // An unreadable package.json on the way up is not ours; keep walking.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${from}`);
    dir = parent;
  }
}

/** The Flask app shipped with the package (`files` in package.json includes flask/). */
export function bundledFlaskContext(): string {
  return path.join(packageRoot(), 'flask');
}
