// Nothing under the state directory is followed if it is a link, keys and their directories are checked on every
// run that reads them (tightened like ssh would, or refused naming the file), and --state-dir '' is a usage error.
// Each case starts from a finished dry-run, tampers with the state directory, runs again and checks the hostile-input
// way: exit code, stdout empty on error, the file named, no key shown, nothing outside the state directory changed.
import {
  chmodSync,
  chownSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWizard } from '../support/cli.js';
import { runHostile, type Sandbox, sandbox } from '../support/hostile.js';

const CONFIG = `hosts:
  - { name: a.example.com, protocol: HTTPS, route: v1 }
  - { name: b.example.com, protocol: HTTPS, route: v2, tls: { mode: MUTUAL } }
`;

async function finished(): Promise<Sandbox & { config: string; victim: string }> {
  const box = sandbox();
  const config = join(box.root, 'wizard.yaml');
  writeFileSync(config, CONFIG);
  // A directory outside the state directory that a link would point into: it must come out untouched.
  const victim = join(box.root, 'victim');
  mkdirSync(victim, { mode: 0o755 });
  chmodSync(victim, 0o755);
  writeFileSync(join(victim, 'tls.key'), 'not a key\n', { mode: 0o644 });
  const r = await runWizard(['--dry-run', '--yes', '--config', config, '--state-dir', box.state], {
    cwd: box.root,
  });
  expect(r.code, r.stderr).toBe(0);
  return { ...box, config, victim };
}

const mode = (p: string) => statSync(p).mode & 0o777;

type Case = [string, (b: Awaited<ReturnType<typeof finished>>) => void, number, (string | RegExp)[]];

const cases: Case[] = [
  [
    'certs/ is a link to another directory',
    (b) => {
      rmSync(join(b.state, 'certs'), { recursive: true });
      symlinkSync(b.victim, join(b.state, 'certs'));
    },
    2,
    ['/certs', 'symbolic link'],
  ],
  [
    'certs/<host> is a link to another directory',
    (b) => {
      rmSync(join(b.state, 'certs', 'a.example.com'), { recursive: true });
      symlinkSync(b.victim, join(b.state, 'certs', 'a.example.com'));
    },
    2,
    ['certs/a.example.com', 'symbolic link'],
  ],
  [
    'a key file is a link',
    (b) => {
      rmSync(join(b.state, 'certs', 'ca.key'));
      symlinkSync(join(b.victim, 'tls.key'), join(b.state, 'certs', 'ca.key'));
    },
    2,
    ['certs/ca.key', 'symbolic link'],
  ],
  [
    'state.json is a link',
    (b) => {
      const s = join(b.state, 'state.json');
      writeFileSync(join(b.victim, 'state.json'), readFileSync(s));
      rmSync(s);
      symlinkSync(join(b.victim, 'state.json'), s);
    },
    2,
    ['state.json', 'symbolic link'],
  ],
  [
    'a key owned by another user',
    (b) => chownSync(join(b.state, 'certs', 'a.example.com', 'tls.key'), 4321, 4321),
    2,
    ['certs/a.example.com/tls.key', 'owned by uid 4321'],
  ],
];

describe('the state directory is not followed out of', () => {
  it.each(cases)('%s', async (_name, tamper, code, stderr) => {
    const b = await finished();
    tamper(b);
    await runHostile(b, ['--dry-run', '--yes', '--from', 'generate-certs', '--config', b.config], {
      code,
      stderr,
    });
    expect(mode(b.victim)).toBe(0o755);
    expect(mode(join(b.victim, 'tls.key'))).toBe(0o644);
  });

  it("--state-dir '' is a usage error naming the flag, and writes nothing in the working directory", async () => {
    const b = sandbox();
    await runHostile(
      b,
      ['--dry-run', '--yes', '--state-dir', ''],
      { code: 2, stderr: ['--state-dir: must not be empty'] },
      {
        stateDirArg: false,
      },
    );
  });
});

describe('keys and their directories are re-checked on every run that reads them', () => {
  it('keys chmod-ed 0644 and a host directory 0777 after a finished run are tightened, each named', async () => {
    const b = await finished();
    const certs = join(b.state, 'certs');
    const keys = ['ca.key', 'a.example.com/tls.key', 'b.example.com/tls.key', 'b.example.com/client.key'];
    for (const k of keys) chmodSync(join(certs, k), 0o644);
    chmodSync(join(certs, 'b.example.com'), 0o777);
    // Resumed at load-certs: generate-certs is done, and load-certs reads the keys into the Secrets.
    const r = await runHostile(b, ['--dry-run', '--yes', '--from', 'load-certs', '--config', b.config], {
      code: 0,
    });
    for (const k of keys) {
      expect(mode(join(certs, k)), k).toBe(0o600);
      expect(r.stderr).toContain(`${join(certs, k)} was readable by others (mode 0644); tightened to 0600`);
    }
    expect(mode(join(certs, 'b.example.com'))).toBe(0o700);
    expect(r.stderr).toContain(
      `${join(certs, 'b.example.com')} was readable by others (mode 0777); tightened to 0700`,
    );
  });
});
