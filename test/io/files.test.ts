// Files that are not files, and files too big to read: a FIFO, /dev/zero, a 50 MB config, a 2 MB PEM, a UTF-16
// config — as --config, certFile/keyFile and --kubeconfig. Each is refused at once (no hang: every run has a 20 s
// budget and takes well under it), naming the flag or field, the file and the limit, the hostile-input way.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { runHostile, sandbox } from '../support/hostile.js';

const byo = (cert: string, key: string) =>
  `hosts:\n  - { name: a.example.com, protocol: HTTPS, route: v1, tls: { certFile: "${cert}", keyFile: "${key}" } }\n`;

type Setup = (root: string) => string[];
const cases: [string, Setup, (string | RegExp)[]][] = [
  [
    'a FIFO as --config',
    (root) => {
      execFileSync('mkfifo', [join(root, 'fifo')]);
      return ['--dry-run', '--yes', '--config', join(root, 'fifo')];
    },
    ['cannot read config file', '/fifo', 'a FIFO (named pipe), not a regular file'],
  ],
  [
    'a FIFO as certFile and keyFile',
    (root) => {
      execFileSync('mkfifo', [join(root, 'fifo')]);
      writeFileSync(join(root, 'w.yaml'), byo(join(root, 'fifo'), join(root, 'fifo')));
      return ['--dry-run', '--yes', '--config', join(root, 'w.yaml')];
    },
    ['hosts[0].tls.certFile', 'hosts[0].tls.keyFile', 'a FIFO (named pipe)'],
  ],
  [
    '/dev/zero as certFile',
    (root) => {
      writeFileSync(join(root, 'w.yaml'), byo('/dev/zero', '/dev/zero'));
      return ['--dry-run', '--yes', '--config', join(root, 'w.yaml')];
    },
    ['hosts[0].tls.certFile: cannot read /dev/zero: it is a character device, not a regular file'],
  ],
  [
    'a 2 MB certFile',
    (root) => {
      const big = join(root, 'big.crt');
      const fd = openSync(big, 'w');
      writeFileSync(fd, Buffer.alloc(2 * 1024 * 1024, 0x41));
      closeSync(fd);
      writeFileSync(join(root, 'w.yaml'), byo(big, big));
      return ['--dry-run', '--yes', '--config', join(root, 'w.yaml')];
    },
    ['hosts[0].tls.certFile', 'it is 2 MiB, more than 1 MiB, the limit for a PEM file'],
  ],
  [
    'a config with a 50 MB string',
    (root) => {
      writeFileSync(join(root, 'w.yaml'), `namespace: "${'x'.repeat(50 * 1024 * 1024)}"\n`);
      return ['--dry-run', '--yes', '--config', join(root, 'w.yaml')];
    },
    ['cannot read config file', 'more than 4 MiB, the limit for a config file'],
  ],
  [
    'a UTF-16 config',
    (root) => {
      const text = 'hosts:\n  - { name: a.example.com, protocol: HTTP, route: v1 }\n';
      writeFileSync(
        join(root, 'w.yaml'),
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      );
      return ['--dry-run', '--yes', '--config', join(root, 'w.yaml')];
    },
    ['w.yaml', 'it is encoded as UTF-16 (little-endian); save it as UTF-8'],
  ],
  [
    '/dev/zero as --kubeconfig',
    () => ['--dry-run=server', '--yes', '--kubeconfig', '/dev/zero'],
    ['--kubeconfig: cannot read kubeconfig /dev/zero: it is a character device, not a regular file'],
  ],
  [
    'a FIFO as --kubeconfig',
    (root) => {
      execFileSync('mkfifo', [join(root, 'kfifo')]);
      return ['--dry-run=server', '--yes', '--kubeconfig', join(root, 'kfifo')];
    },
    ['--kubeconfig: cannot read kubeconfig', 'a FIFO (named pipe)'],
  ],
];

describe('files that are not files, or too big', () => {
  it.each(cases)('%s', async (_name, setup, stderr) => {
    const box = sandbox();
    await runHostile(box, setup(box.root), { code: 2, stderr }, { timeoutMs: 20_000 });
  });
});

it('a kubeconfig naming /dev/zero as its client certificate: refused before connecting, exit 1', async () => {
  const box = sandbox();
  const kc = join(box.root, 'kubeconfig');
  writeFileSync(
    kc,
    'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {client-certificate: /dev/zero, client-key: /dev/zero}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
  );
  await runHostile(
    box,
    ['--dry-run=server', '--yes', '--kubeconfig', kc],
    { code: 1, stderr: ['kubeconfig client-certificate: cannot read /dev/zero: it is a character device'] },
    { timeoutMs: 20_000 },
  );
});
