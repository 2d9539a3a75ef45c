// Issue 8, item 3 on the real stack: a MUTUAL host asked with and without the client certificate, certs.keyType
// rsa-2048, and a bring-your-own certificate (certFile/keyFile minted here with openssl). The built `wizard --yes`
// sets it up; its own `wizard verify` and independent curl (--cacert, never -k) must agree.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { certPaths } from '../../../src/certs/store.js';
import { selfSignedCert } from '../../support/opensslPki.js';
import { pushFlaskImage } from '../engines/engines.js';
import { stackSkipReason, useStack } from '../stack.js';
import { curlGateway, wizardOnStack } from '../wizardOnStack.js';

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

describe.skipIf(skip)('MUTUAL, rsa-2048 and a bring-your-own certificate on the real stack', () => {
  const stack = useStack();

  it('MUTUAL answers with the client certificate and refuses without; the RSA and BYO certificates serve', async () => {
    const s = stack();
    const image = await pushFlaskImage(s.engines);
    const w = wizardOnStack(s, { env: s.env() });
    const { cert: byoCert, key: byoKey } = await selfSignedCert(s.dir, 'byo', 'byo.example.com');
    await w.write(config(image, byoCert, byoKey));
    await w.setUp();

    const paths = certPaths(w.state, [
      { name: 'mtls.example.com', protocol: 'HTTPS', tls: { mode: 'MUTUAL' } },
    ] as unknown as Parameters<typeof certPaths>[1]);
    const mtls = paths.hosts['mtls.example.com'];
    if (!mtls?.clientCert || !mtls.clientKey)
      throw new Error('no client certificate paths for the MUTUAL host');
    const { stdout: text } = await execFileP('openssl', ['x509', '-noout', '-text', '-in', mtls.cert]);
    expect(text).toContain('rsaEncryption');
    expect(text).toMatch(/Public-Key: \(2048 bit\)/);

    const mtlsUrl = 'https://mtls.example.com/version';
    const withClient = await curlGateway(s.gatewayAddress, mtlsUrl, {
      ca: paths.caCert,
      cert: mtls.clientCert,
      key: mtls.clientKey,
    });
    expect(withClient).toMatchObject({ exit: 0, status: 200, body: 'v1' });
    const without = await curlGateway(s.gatewayAddress, mtlsUrl, { ca: paths.caCert });
    // A real Envoy refuses with a TLS alert: curl reports it as 16, 35, 52, 55 or 56, never an HTTP answer.
    expect([16, 35, 52, 55, 56]).toContain(without.exit);
    expect(without.status).toBe(0);
    const byo = await curlGateway(s.gatewayAddress, 'https://byo.example.com/version', { ca: byoCert });
    expect(byo).toMatchObject({ exit: 0, status: 200, body: 'v2' });
  }, 900_000);
});
