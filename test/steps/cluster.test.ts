// The wizard's real steps (preflight → apply-gateway; verify needs a data plane) run against a real API server with
// the live cluster: what a `wizard --yes` run writes, that a second run changes nothing, and that
// --dry-run=server persists nothing. The test plays the Deployment controller (writes rollout status).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LiveCluster } from '../../src/io/kube/live.js';
import type { Io } from '../../src/io/types.js';
import { STEPS } from '../../src/steps/index.js';
import type { RuntimeFlags, StepId, StepOutputs } from '../../src/steps/types.js';
import { exampleConfig, meta, skipReason, useControlPlane } from '../support/apiserver.js';
import { noExec, testContext } from '../support/context.js';
import { installCrds, wizardCrds } from '../support/crds.js';
import { createGatewayStandIn, writeStatus } from '../support/gatewayStandIn.js';

const CLUSTER_STEPS: StepId[] = [
  'preflight',
  'deploy-versions',
  'define-subsets',
  'add-hosts',
  'generate-certs',
  'load-certs',
  'apply-gateway',
];

/** Until stopped: marks every Deployment of the namespace rolled out, as the controller-manager would. */
function deploymentController(cluster: LiveCluster, namespace: string): () => void {
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const deps = await cluster
        .list({ apiVersion: 'apps/v1', kind: 'Deployment', namespace })
        .catch(() => []);
      for (const d of deps) {
        const gen = meta(d).generation ?? 0;
        if ((d.status?.observedGeneration ?? 0) >= gen) continue;
        const n = d.spec.replicas ?? 1;
        await writeStatus(
          cluster,
          { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: d.metadata.name },
          {
            observedGeneration: gen,
            replicas: n,
            updatedReplicas: n,
            readyReplicas: n,
            availableReplicas: n,
          },
        ).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  void loop();
  return () => {
    stopped = true;
  };
}

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
      flags: { mode, wait: true, waitTimeoutSeconds: 30 },
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
    const stop = deploymentController(admin, 'default');
    try {
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
      expect(first.logs['deploy-versions']).toContain('rolled out Deployment/default/flask-v1');
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
    } finally {
      stop();
    }
  });

  it('--dry-run=server runs every step and persists nothing', async () => {
    const { connect, admin } = suite();
    const dry = await connect({ dryRunServer: true });
    const config = exampleConfig();
    config.namespace = 'dry-ns';
    config.gateway.name = 'dry-gateway';
    for (const h of config.hosts) h.name = `dry.${h.name}`;
    const dryState = mkdtempSync(path.join(tmpdir(), 'wizard-steps-dry-'));
    const stepsBefore = CLUSTER_STEPS;
    // --wait stays on: in a server dry run there is no rollout, and waiting returns at once.
    const { logs } = await runAllNoWait(dry, dryState, config, stepsBefore);
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

async function runAllNoWait(
  cluster: LiveCluster,
  stateDir: string,
  config: ReturnType<typeof exampleConfig>,
  ids: StepId[],
) {
  const logs: Record<string, string[]> = {};
  let outputs: StepOutputs = {};
  for (const id of ids) {
    const step = STEPS.find((s) => s.id === id);
    if (!step) throw new Error(`no step ${id}`);
    logs[id] = [];
    outputs = {
      ...outputs,
      ...(await step.run(
        testContext({
          config,
          configDir: stateDir,
          stateDir,
          io: { cluster, exec: noExec },
          flags: { mode: 'server-dry-run', wait: true, waitTimeoutSeconds: 5 },
          outputs,
          log: (l: string) => void logs[id]?.push(l),
        }),
      )),
    };
  }
  return { logs, outputs };
}
