// Issue 8, item 3 on the real stack: the Helm-style gateway (the istio/gateway chart's `istio: ingress` workload in
// namespace istio-ingress, Service istio-ingress) instead of the default istio-system/istio: ingressgateway.
// The built `wizard --yes` sets it up; its own `wizard verify` and independent curl (--cacert, never -k) agree.
import { describe, expect, it } from 'vitest';
import { pushFlaskImage } from '../engines/engines.js';
import { stackSkipReason, useStack } from '../stack.js';
import { curlGateway, wizardOnStack } from '../wizardOnStack.js';

const skip = await stackSkipReason('the Helm-style gateway (test/stack/features)');

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
    const w = wizardOnStack(s, { env: s.env() });
    await w.write(config(image));
    await w.setUp();

    const https = await curlGateway(s.gatewayAddress, 'https://helm1.example.com/version', { ca: w.ca });
    expect(https).toMatchObject({ exit: 0, status: 200, body: 'v2' });
    const http = await curlGateway(s.gatewayAddress, 'http://helm2.example.com/version');
    expect(http).toMatchObject({ exit: 0, status: 200, body: 'v1' });
  }, 900_000);
});
