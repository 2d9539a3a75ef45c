// YAML that parses but is not a plain config: an unknown tag (once silently dropped), !!binary (once "got a
// mapping"), nesting deep enough to exhaust the parser (once "Maximum call stack size exceeded", or out of memory).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { runHostile, sandbox } from '../support/hostile.js';

const host = '  - { name: a.example.com, protocol: HTTP, route: v1 }\n';
const cases: [string, string, (string | RegExp)[]][] = [
  ['an unknown tag', `namespace: !foo bar\nhosts:\n${host}`, ['line 1, column 12: unknown tag !foo']],
  [
    'a local tag on a mapping',
    `gateway: !mine { name: gw }\nhosts:\n${host}`,
    ['line 1, column 10: unknown tag !mine'],
  ],
  [
    '!!binary',
    `namespace: !!binary aGVsbG8=\nhosts:\n${host}`,
    ['line 1, column 12: !!binary is binary data'],
  ],
  ['!!timestamp', `app: !!timestamp 2001-12-14\nhosts:\n${host}`, ['!!timestamp is a timestamp']],
  [
    '100,000 nested flow lists',
    `hosts: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    ['nested too deeply (line 1)'],
  ],
  [
    '2,000 nested block mappings',
    `hosts:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 2)}k${i}:`).join('\n')}\n`,
    [/nested too deeply \(line 6[0-9]\)/],
  ],
  ['a compact nested sequence', `hosts:\n  ${'- '.repeat(200)}x\n`, ['nested too deeply (line 2)']],
];

describe('YAML beyond plain values', () => {
  it.each(cases)('%s', async (_name, yaml, stderr) => {
    const box = sandbox();
    writeFileSync(join(box.root, 'w.yaml'), yaml);
    await runHostile(box, ['--dry-run', '--yes', '--config', join(box.root, 'w.yaml')], {
      code: 2,
      stderr: ['invalid YAML in', 'w.yaml', ...stderr],
    });
  });
});
