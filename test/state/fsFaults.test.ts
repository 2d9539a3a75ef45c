// A read-only or full state directory: "cannot write the state directory DIR: read-only file system / no space left
// on device", exit 1, no stack trace, stdout empty, and the state saved before is whole. The file systems are real:
// a tmpfs mounted in a private mount namespace (unshare), remounted read-only or filled up. The mount exists only
// inside that namespace and goes away with it: nothing is left mounted on the machine.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WIZARD } from '../support/cli.js';
import { sandbox, snapshot } from '../support/hostile.js';

const canUnshare = (() => {
  try {
    execFileSync('unshare', ['--mount', '--propagation', 'private', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * In a private mount namespace: a tmpfs at MNT, a first dry-run that saves a state, then `fault` (a shell snippet),
 * then a second dry-run whose stdout, stderr and exit code are kept in OUT, and the state files compared.
 */
function inNamespace(
  fault: string,
  secondStateDir = '$MNT/state',
): { code: number; stdout: string; stderr: string; same: boolean } {
  const box = sandbox('wizard-fsfault-');
  const mnt = join(box.root, 'mnt');
  const out = join(box.root, 'out');
  mkdirSync(mnt);
  mkdirSync(out);
  const config = join(box.root, 'changed.yaml');
  writeFileSync(config, 'hosts:\n  - { name: other.example.com, protocol: HTTPS, route: v1 }\n');
  const around = snapshot(box.root, [out]);
  const script = `
set -e
mount -t tmpfs -o size=2m tmpfs "$MNT"
"$NODE" "$WIZARD" --dry-run --yes --state-dir "$MNT/state" >/dev/null 2>"$OUT/first.err"
cp "$MNT/state/state.json" "$OUT/before.json"
${fault}
set +e
"$NODE" "$WIZARD" --dry-run --yes --config "$CONFIG" --state-dir "${secondStateDir}" >"$OUT/stdout" 2>"$OUT/stderr"
echo $? >"$OUT/code"
cmp -s "$MNT/state/state.json" "$OUT/before.json" && echo same >"$OUT/same"
true
`;
  execFileSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
    env: { ...process.env, MNT: mnt, OUT: out, NODE: process.execPath, WIZARD, CONFIG: config },
    stdio: 'pipe',
    timeout: 120_000,
  });
  // Outside the namespace the mount point is an empty directory again; nothing else around it changed.
  expect(snapshot(box.root, [out])).toEqual(around);
  const read = (f: string) => readFileSync(join(out, f), 'utf8');
  let same = false;
  try {
    same = read('same').trim() === 'same';
  } catch {}
  return { code: Number(read('code')), stdout: read('stdout'), stderr: read('stderr'), same };
}

describe.skipIf(!canUnshare)('file-system faults in the state directory', () => {
  const cases: [string, string, string | undefined, RegExp][] = [
    [
      'read-only',
      'mount -o remount,ro "$MNT"',
      undefined,
      /cannot write the state directory \S+\/state: read-only file system/,
    ],
    [
      'read-only, a fresh state directory',
      'mount -o remount,ro "$MNT"',
      '$MNT/fresh',
      /cannot write the state directory \S+\/fresh: read-only file system/,
    ],
    [
      'full',
      'dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null || true',
      undefined,
      /cannot write the state directory \S+\/state: no space left on device/,
    ],
  ];
  it.each(cases)('%s', (_name, fault, dir, message) => {
    const r = inNamespace(fault, dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error| {4}at |ENOENT/);
    expect(r.same, 'the state saved before is whole').toBe(true);
  });
});
