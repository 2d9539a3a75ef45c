// Issue 8, item 6 on the real stack: a second Gateway on the same workload selector, port and host, made outside
// the wizard (by hand, a chart, another tool). Why: on a real gateway istiod serves only one of two such servers
// (istioctl analyze calls it IST0145 ConflictingGateways), so the wizard's routes would silently lose to — or break —
// the other one. Preflight must find it before anything is applied and name it: the built `wizard --yes` exits 1
// (a failed check), writes no managed object, and records preflight as failed, not done.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectCluster } from '../../../src/io/kube/connect.js';
import { httpHosts, stackConfig } from '../configs.js';
import { managedObjects } from '../managedObjects.js';
import { stackSkipReason, useStack } from '../stack.js';
import { wizardOnStack } from '../wizardOnStack.js';

const skip = await stackSkipReason('a conflicting Gateway made outside the wizard (test/stack/breakages)');

describe.skipIf(skip)('a hand-made Gateway on the same selector, port and host', () => {
  const stack = useStack();

  it('preflight names it (IST0145) and nothing is applied', async () => {
    const s = stack();
    const cluster = await connectCluster({ kubeconfig: s.kubeconfig });
    try {
      await cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'legacy' } });
      await cluster.apply({
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: 'hand-made', namespace: 'legacy' },
        spec: {
          selector: { istio: 'ingressgateway' },
          servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*.example2.com'] }],
        },
      });
    } finally {
      cluster.close();
    }
    // No image is pulled: preflight stops the run before deploy-versions.
    const w = wizardOnStack(s, { env: s.env() });
    await w.write(stackConfig({ image: s.flaskImage(), hosts: httpHosts }));
    const r = await w.run();
    expect(r.code, r.stderr.slice(-3000)).toBe(1);
    expect(r.stderr).toContain(
      "host flask.example2.com: Gateway legacy/hand-made (not the wizard's) already has a server on port 80 for *.example2.com on the same workload (selector istio=ingressgateway)",
    );
    expect(r.stderr).toContain('IST0145');
    expect(r.stderr).toContain('nothing was written');
    // example1 is not claimed by the hand-made Gateway: only the clashing host is named.
    expect(r.stderr).not.toMatch(/host flask\.example1\.com: Gateway legacy/);
    expect(await managedObjects(s.kubeconfig, 'default')).toEqual([]);
    const state = JSON.parse(await readFile(path.join(w.state, 'state.json'), 'utf8'));
    expect(JSON.stringify(state.steps?.preflight ?? {})).not.toMatch(/"status":"done"/);
    expect(state.steps?.['deploy-versions']).toBeUndefined();
  }, 600_000);
});
