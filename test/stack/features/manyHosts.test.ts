// Issue 8, item 3 on the real stack: 120 hosts on one Gateway; `wizard verify` is green and its time is printed
// (measured, not asserted). Independent curl checks a sample of the hosts.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runWizard } from '../../support/cli.js';
import { pushFlaskImage } from '../engines/engines.js';
import { stackSkipReason, useStack } from '../stack.js';

const skip = await stackSkipReason('120 hosts (test/stack/features)');
const execFileP = promisify(execFile);
const HOSTS = 120;
const host = (i: number) => `h${i}.example.com`;
const version = (i: number) => (i % 2 ? 'v1' : 'v2');

const config = (image: string) => `namespace: default
app: flask
image: ${image}
versions:
  - name: v1
  - name: v2
gateway:
  name: flask-gateway
  selector: { istio: ingressgateway }
  workloadNamespace: istio-system
hosts:
${Array.from({ length: HOSTS }, (_, i) => `  - { name: ${host(i)}, protocol: HTTP, route: ${version(i)} }`).join('\n')}
build:
  enabled: false
`;

describe.skipIf(skip)('120 hosts on the real stack', () => {
  const stack = useStack();

  it('verify is green for 120 hosts; curl agrees on a sample', async () => {
    const s = stack();
    const image = await pushFlaskImage(s.engines);
    const file = path.join(s.dir, 'many.yaml');
    const state = path.join(s.dir, 'state');
    await writeFile(file, config(image));
    const run = await runWizard(
      ['--config', file, '--yes', '--kubeconfig', s.kubeconfig, '--state-dir', state],
      {
        timeoutMs: 600_000,
        env: s.env(),
      },
    );
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    const started = performance.now();
    const verify = await runWizard(
      ['verify', '--config', file, '--kubeconfig', s.kubeconfig, '--state-dir', state],
      {
        timeoutMs: 600_000,
      },
    );
    process.stderr.write(
      `[stack/features many] verify of ${HOSTS} hosts: ${Math.round(performance.now() - started)} ms\n`,
    );
    expect(verify.code, verify.stderr.slice(-3000)).toBe(0);
    for (const i of [0, 1, 59, 118, 119]) {
      const { stdout } = await execFileP('curl', [
        '-sS',
        '--resolve',
        `${host(i)}:80:${s.gatewayAddress}`,
        `http://${host(i)}/version`,
      ]);
      expect(stdout.trim()).toBe(version(i));
    }
  }, 1_200_000);
});
