// The wizard's real steps (preflight → apply-gateway; verify needs a data plane) run against a real API server with
// the live cluster: exactly what a `wizard --yes` run writes (and that no key reaches a log line), that a second run
// changes nothing, and that --dry-run=server persists nothing. No rollout wait here (--no-wait): there is no
// kubelet, and the wait on real readiness probes is proved on the real node (test/stack/flow/tutorial.test.ts).
// The gateway's pods and address are still the stand-in's (test/support/gatewayStandIn.ts): preflight reads them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LiveCluster } from '../../src/io/kube/live.js';
import type { Io } from '../../src/io/types.js';
import { STEPS } from '../../src/steps/index.js';
import type { RuntimeFlags, StepId, StepOutputs } from '../../src/steps/types.js';
import { skipReason, useControlPlane } from '../support/apiserver.js';
import { exampleConfig } from '../support/configs.js';
import { noExec, testContext } from '../support/context.js';
import { installCrds, wizardCrds } from '../support/crds.js';
import { createGatewayStandIn } from '../support/gatewayStandIn.js';

const CLUSTER_STEPS: StepId[] = [
  'preflight',
  'deploy-versions',
  'define-subsets',
  'add-hosts',
  'generate-certs',
  'load-certs',
  'apply-gateway',
];

async function runAll(
  cluster: LiveCluster,
  mode: RuntimeFlags['mode'],
  stateDir: string,
  config = exampleConfig(),
) {
  const logs: Record<string, string[]> = {};
  let outputs: StepOutputs = {};
  const io: Io = { cluster, exec: noExec };
  for (const id of CLUSTER_STEPS) {
    const step = STEPS.find((s) => s.id === id);
    if (!step) throw new Error(`no step ${id}`);
    logs[id] = [];
    const ctx = testContext({
      config,
      configDir: stateDir,
      stateDir,
      io,
      // In a server dry run there is no rollout, and waiting returns at once: the wait stays on there.
      flags: { mode, wait: mode === 'server-dry-run', waitTimeoutSeconds: 5 },
      outputs,
      log: (l) => void logs[id]?.push(l),
    });
    outputs = { ...outputs, ...(await step.run(ctx)) };
  }
  return { logs, outputs };
}

describe.skipIf(skipReason)('the wizard steps against a real API server', () => {
  const suite = useControlPlane();
  const stateDir = mkdtempSync(path.join(tmpdir(), 'wizard-steps-'));
  beforeAll(async () => {
    const { admin } = suite();
    await installCrds(admin, { filter: wizardCrds });
    await createGatewayStandIn(admin, { lbIp: '172.18.255.201' });
  }, 120_000);

  it('a first run creates everything; a second run reports every object unchanged', async () => {
    const { admin } = suite();
    const first = await runAll(admin, 'live', stateDir);
    expect(first.outputs.preflight).toMatchObject({
      apiVersion: 'networking.istio.io/v1',
      gatewayAddress: '172.18.255.201',
    });
    const applied = CLUSTER_STEPS.filter((s) => s !== 'preflight' && s !== 'generate-certs').flatMap(
      (s) => first.logs[s]?.filter((l) => /^(created|configured|unchanged) /.test(l)) ?? [],
    );
    expect(applied).toEqual([
      'created    Deployment/default/flask-v1',
      'created    Deployment/default/flask-v2',
      'created    Service/default/flask',
      'created    DestinationRule/default/flask',
      'created    VirtualService/default/flask-example1-com',
      'created    VirtualService/default/flask-example2-com',
      'created    Secret/istio-system/flask-example1-com-tls',
      'created    Secret/istio-system/flask-example2-com-tls',
      'created    Gateway/default/flask-gateway',
    ]);
    const secret = await admin.get({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'istio-system',
      name: 'flask-example1-com-tls',
    });
    expect(secret?.type).toBe('kubernetes.io/tls');
    expect(Object.keys(secret?.data ?? {}).sort()).toEqual(['tls.crt', 'tls.key']);
    // no secret data in any log line
    const keyB64 = String(secret?.data['tls.key']).slice(0, 24);
    expect(Object.values(first.logs).flat().join('\n')).not.toContain(keyB64);

    const second = await runAll(admin, 'live', stateDir);
    const again = Object.values(second.logs)
      .flat()
      .filter((l) => /^(created|configured|unchanged) /.test(l));
    expect(again).toHaveLength(applied.length);
    expect(again.filter((l) => !l.startsWith('unchanged '))).toEqual([]);
  });

  it('--dry-run=server runs every step and persists nothing', async () => {
    const { connect, admin } = suite();
    const dry = await connect({ dryRunServer: true });
    const config = exampleConfig();
    config.namespace = 'dry-ns';
    config.gateway.name = 'dry-gateway';
    for (const h of config.hosts) h.name = `dry.${h.name}`;
    const dryState = mkdtempSync(path.join(tmpdir(), 'wizard-steps-dry-'));
    const { logs } = await runAll(dry, 'server-dry-run', dryState, config);
    const lines = Object.values(logs).flat();
    expect(lines.filter((l) => l.startsWith('created ')).length).toBeGreaterThanOrEqual(9);
    expect(await admin.get({ apiVersion: 'v1', kind: 'Namespace', name: 'dry-ns' })).toBeUndefined();
    expect(
      await admin.get({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: 'istio-system',
        name: 'dry-flask-example1-com-tls',
      }),
    ).toBeUndefined();
  });
});
