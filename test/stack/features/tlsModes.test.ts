// Issue 8, item 3 on the real stack: a MUTUAL host asked with and without the client certificate, certs.keyType
// rsa-2048, and a bring-your-own certificate (certFile/keyFile minted here with openssl). The built `wizard --yes`
// sets it up; its own `wizard verify` and independent curl (--cacert, never -k) must agree.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { certPaths } from '../../../src/certs/store.js';
import { runWizard } from '../../support/cli.js';
import { pushFlaskImage } from '../engines/engines.js';
import { stackSkipReason, useStack } from '../stack.js';

const skip = await stackSkipReason('MUTUAL, rsa-2048 and a bring-your-own certificate (test/stack/features)');
const execFileP = promisify(execFile);

const config = (image: string, byoCert: string, byoKey: string) => `namespace: default
app: flask
image: ${image}
versions:
  - name: v1
  - name: v2
gateway:
  name: flask-gateway
  selector: { istio: ingressgateway }
  workloadNamespace: istio-system
certs:
  keyType: rsa-2048
hosts:
  - name: mtls.example.com
    protocol: HTTPS
    tls: { mode: MUTUAL }
    route: v1
  - name: byo.example.com
    protocol: HTTPS
    tls: { mode: SIMPLE, certFile: ${byoCert}, keyFile: ${byoKey} }
    route: v2
build:
  enabled: false
`;

/** curl's exit code and body (a refused handshake is an exit code, not a throw, here). */
async function curl(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await execFileP('curl', ['-sS', '--max-time', '10', ...args]);
    return { code: 0, out: stdout.trim() };
  } catch (e) {
    const err = e as { code?: number; stdout?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, out: (err.stdout ?? '').trim() };
  }
}

describe.skipIf(skip)('MUTUAL, rsa-2048 and a bring-your-own certificate on the real stack', () => {
  const stack = useStack();

  it('MUTUAL answers with the client certificate and refuses without; the RSA and BYO certificates serve', async () => {
    const s = stack();
    const image = await pushFlaskImage(s.engines);
    const byoCert = path.join(s.dir, 'byo.crt');
    const byoKey = path.join(s.dir, 'byo.key');
    await execFileP('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=byo.example.com',
      '-addext',
      'subjectAltName=DNS:byo.example.com',
      '-keyout',
      byoKey,
      '-out',
      byoCert,
    ]);
    const file = path.join(s.dir, 'tls.yaml');
    const state = path.join(s.dir, 'state');
    await writeFile(file, config(image, byoCert, byoKey));
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

    const paths = certPaths(state, [
      { name: 'mtls.example.com', protocol: 'HTTPS', tls: { mode: 'MUTUAL' } },
    ] as unknown as Parameters<typeof certPaths>[1]);
    const mtls = paths.hosts['mtls.example.com'];
    if (!mtls?.clientCert || !mtls.clientKey)
      throw new Error('no client certificate paths for the MUTUAL host');
    const { stdout: text } = await execFileP('openssl', ['x509', '-noout', '-text', '-in', mtls.cert]);
    expect(text).toContain('rsaEncryption');
    expect(text).toMatch(/Public-Key: \(2048 bit\)/);

    const resolve = (host: string) => `${host}:443:${s.gatewayAddress}`;
    const withClient = await curl([
      '--cacert',
      paths.caCert,
      '--cert',
      mtls.clientCert,
      '--key',
      mtls.clientKey,
      '--resolve',
      resolve('mtls.example.com'),
      'https://mtls.example.com/version',
    ]);
    expect(withClient).toEqual({ code: 0, out: 'v1' });
    const without = await curl([
      '--cacert',
      paths.caCert,
      '--resolve',
      resolve('mtls.example.com'),
      'https://mtls.example.com/version',
    ]);
    // A real Envoy refuses with a TLS alert: curl reports it as 16, 35, 52, 55 or 56, never an HTTP answer.
    expect([16, 35, 52, 55, 56]).toContain(without.code);
    const byo = await curl([
      '--cacert',
      byoCert,
      '--resolve',
      resolve('byo.example.com'),
      'https://byo.example.com/version',
    ]);
    expect(byo).toEqual({ code: 0, out: 'v2' });
  }, 900_000);
});
