// The plain renderer, the state module and the prompt modules must not load ink/react (≈590 ms): only
// src/ui/ink/* may import them, and the rest reaches that only through a dynamic import().
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Static (value) imports of a source file: `import type` and `import()` are not loads at startup. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
    if (m[1]) out.push(m[1]);
  }
  return out;
}

function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = join(dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx')]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // try the next extension
    }
  }
  return undefined;
}

/** Every bare package a file loads at startup, following local static imports. */
function packagesLoadedBy(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      const local = resolveLocal(file, spec);
      if (local) walk(local);
      else if (!spec.startsWith('.') && !spec.startsWith('node:')) packages.add(spec.split('/')[0] ?? spec);
    }
  };
  walk(join(ROOT, entry));
  return packages;
}

describe('startup cost: who loads ink/react', () => {
  for (const entry of [
    'src/ui/plain.ts',
    'src/state/index.ts',
    'src/ui/terminal.ts',
    'src/ui/interactive.ts',
    'src/ui/preload.ts',
    'src/ui/prompts/answers.ts',
    'src/ui/prompts/resume.ts',
  ]) {
    it(`${entry} does not load ink or react at import`, () => {
      const loaded = packagesLoadedBy(entry);
      expect(loaded.has('ink')).toBe(false);
      expect(loaded.has('react')).toBe(false);
    });
  }

  it('the Ink session does (so the check above can see it)', () => {
    const loaded = packagesLoadedBy('src/ui/ink/session.tsx');
    expect(loaded.has('ink')).toBe(true);
    expect(loaded.has('react')).toBe(true);
  });
});
