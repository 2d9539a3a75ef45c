// Issue 8, item 3 on the real stack: the Helm-style gateway (the istio/gateway chart's `istio: ingress` workload in
// namespace istio-ingress, Service istio-ingress) instead of the default istio-system/istio: ingressgateway.
// The built `wizard --yes` sets it up; its own `wizard verify` and independent curl (--cacert, never -k) agree.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runWizard } from '../../support/cli.js';
import { pushFlaskImage } from '../engines/engines.js';
import { stackSkipReason, useStack } from '../stack.js';

const skip = await stackSkipReason('the Helm-style gateway (test/stack/features)');
const execFileP = promisify(execFile);

const config = (image: string) => `namespace: default
app: flask
image: ${image}
versions:
  - name: v1
  - name: v2
gateway:
  name: flask-gateway
  selector: { istio: ingress }
  workloadNamespace: istio-ingress
hosts:
  - name: helm1.example.com
    protocol: HTTPS
    tls: { mode: SIMPLE }
    route: v2
  - name: helm2.example.com
    protocol: HTTP
    route: v1
build:
  enabled: false
`;

describe.skipIf(skip)('the Helm-style gateway on the real stack', () => {
  const stack = useStack({
    gatewayNamespace: 'istio-ingress',
    gatewayLabels: { istio: 'ingress', app: 'istio-ingress' },
    serviceName: 'istio-ingress',
  });

  it('routes HTTPS and HTTP hosts through istio-ingress/istio: ingress', async () => {
    const s = stack();
    const image = await pushFlaskImage(s.engines);
    const file = path.join(s.dir, 'helm.yaml');
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
    const verify = await runWizard(
      ['verify', '--config', file, '--kubeconfig', s.kubeconfig, '--state-dir', state],
      {
        timeoutMs: 300_000,
      },
    );
    expect(verify.code, verify.stderr.slice(-3000)).toBe(0);

    const https = await execFileP('curl', [
      '-sS',
      '--cacert',
      path.join(state, 'certs', 'ca.crt'),
      '--resolve',
      `helm1.example.com:443:${s.gatewayAddress}`,
      'https://helm1.example.com/version',
    ]);
    expect(https.stdout.trim()).toBe('v2');
    const http = await execFileP('curl', [
      '-sS',
      '--resolve',
      `helm2.example.com:80:${s.gatewayAddress}`,
      'http://helm2.example.com/version',
    ]);
    expect(http.stdout.trim()).toBe('v1');
  }, 900_000);
});
