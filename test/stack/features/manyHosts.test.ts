// Issue 8, item 3 on the real stack: 120 hosts on one Gateway; `wizard verify` is green and its time is printed
// (measured, not asserted). Independent curl checks a sample of the hosts.
import { describe, expect, it } from 'vitest';
import { pushFlaskImage } from '../engines/engines.js';
import { stackSkipReason, useStack } from '../stack.js';
import { curlGateway, expectOk, wizardOnStack } from '../wizardOnStack.js';

const skip = await stackSkipReason('120 hosts (test/stack/features)');
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
    const w = wizardOnStack(s, { env: s.env() });
    await w.write(config(image));
    expectOk(await w.run(['--yes']), 'wizard --yes');
    const started = performance.now();
    const verify = await w.run(['verify']);
    process.stderr.write(
      `[stack/features many] verify of ${HOSTS} hosts: ${Math.round(performance.now() - started)} ms\n`,
    );
    expectOk(verify, 'wizard verify');
    for (const i of [0, 1, 59, 118, 119]) {
      const r = await curlGateway(s.gatewayAddress, `http://${host(i)}/version`);
      expect(r).toMatchObject({ exit: 0, status: 200, body: version(i) });
    }
  }, 1_200_000);
});
