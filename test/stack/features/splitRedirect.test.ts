// Issue 8, item 3 on the real stack: a weighted 80/20 split measured over 200 requests through the real Envoy
// gateway, and gateway.httpsRedirect answering 301 with path and query kept. The built `wizard --yes` sets it up;
// its own `wizard verify` and independent curl (--cacert with the wizard's CA, never -k) must agree.
import { describe, expect, it } from 'vitest';
import { pushFlaskImage } from '../engines/engines.js';
import { stackSkipReason, useStack } from '../stack.js';
import { curlGateway, wizardOnStack } from '../wizardOnStack.js';

const skip = await stackSkipReason('weighted split and httpsRedirect (test/stack/features)');
const report = (line: string) => process.stderr.write(`[stack/features split] ${line}\n`);

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
  httpsRedirect: true
hosts:
  - name: split.example.com
    protocol: HTTPS
    tls: { mode: SIMPLE }
    routes:
      - { subset: v1, weight: 80 }
      - { subset: v2, weight: 20 }
build:
  enabled: false
`;

describe.skipIf(skip)('weighted split and httpsRedirect on the real stack', () => {
  const stack = useStack();

  it('80/20 within tolerance over 200 requests; HTTP answers 301 to https with path and query kept', async () => {
    const s = stack();
    const image = await pushFlaskImage(s.engines);
    const w = wizardOnStack(s, { env: s.env() });
    await w.write(config(image));
    await w.setUp();

    const counts: Record<string, number> = {};
    for (let i = 0; i < 200; i++) {
      const r = await curlGateway(s.gatewayAddress, 'https://split.example.com/version', { ca: w.ca });
      const v = r.status === 200 ? r.body : `exit ${r.exit} status ${r.status}`;
      counts[v] = (counts[v] ?? 0) + 1;
    }
    report(`200 requests: ${JSON.stringify(counts)}`);
    expect(Object.keys(counts).sort()).toEqual(['v1', 'v2']);
    // 80/20 over 200: the binomial standard deviation is ≈5.7 requests; 4σ either side.
    expect(counts.v1).toBeGreaterThanOrEqual(160 - 23);
    expect(counts.v1).toBeLessThanOrEqual(160 + 23);

    const redirect = await curlGateway(s.gatewayAddress, 'http://split.example.com/version/x?a=1&b=2');
    expect(redirect).toMatchObject({ status: 301, redirect: 'https://split.example.com/version/x?a=1&b=2' });
  }, 900_000);
});
