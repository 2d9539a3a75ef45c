// api: gateway-api against a real API server with the real Gateway API v1.6.1 and Istio 1.30.3 CRDs: the wizard's
// real steps (preflight → apply-gateway), the status wait on conditions a controller stand-in derives from the real
// objects, a server dry-run, a mode switch in both directions and teardown of either mode.
// Stand-ins, and why they stay here although the real stack (test/stack/features/gatewayApi.test.ts: a real node,
// istiod writing the conditions) now runs the same flow, InvalidCertificateRef, BackendNotFound and both switches:
// - the controller stand-in (test/support/gatewayApiController.ts) is the only way to reach AddressNotAssigned on a
//   kind cluster (kind cannot run here), and to pause at the moment the new Gateway is first Programmed, to prove
//   the old mode's routing still exists then (the order of the switch's state machine, not its outcome);
// - the Deployment status this file writes (there is no kubelet) only lets the runs get past deploy-versions: the
//   Gateway API status wait is behind the same --wait as the rollout wait. The rollout on real pods is the stack's.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/defaults.js';
import type { WizardConfig } from '../../../src/config/types.js';
import type { WizardError } from '../../../src/errors.js';
import type { LiveCluster } from '../../../src/io/kube/live.js';
import { STEPS } from '../../../src/steps/index.js';
import { runPreflight } from '../../../src/steps/preflight.js';
import type { RuntimeFlags, StepId, StepOutputs } from '../../../src/steps/types.js';
import { runTeardown, scanTeardown } from '../../../src/teardown/index.js';
import { meta, skipReason, useControlPlane } from '../../support/apiserver.js';
import { noExec, testContext } from '../../support/context.js';
import { GATEWAY_API_CRDS, installCrds, wizardCrds } from '../../support/crds.js';
import { startGatewayApiController } from '../../support/gatewayApiController.js';
import { createGatewayStandIn, writeStatus } from '../../support/gatewayStandIn.js';

const STEPS_TO_GATEWAY: StepId[] = [
  'preflight',
  'deploy-versions',
  'define-subsets',
  'add-hosts',
  'generate-certs',
  'load-certs',
  'apply-gateway',
];
const G = 'gateway.networking.k8s.io/v1';

function gatewayApiConfig(namespace: string): WizardConfig {
  const c = defaultConfig();
  c.api = 'gateway-api';
  c.namespace = namespace;
  c.gateway.name = `${namespace}-gw`;
  c.gateway.httpsRedirect = true;
  c.hosts = [
    {
      name: `a.${namespace}.example.com`,
      protocol: 'HTTPS',
      tls: { mode: 'SIMPLE' },
      routes: [{ subset: 'v2', weight: 100 }],
    },
    {
      name: `b.${namespace}.example.com`,
      protocol: 'HTTP',
      routes: [
        { subset: 'v1', weight: 80 },
        { subset: 'v2', weight: 20 },
      ],
    },
  ];
  return c;
}

function deploymentController(cluster: LiveCluster): () => void {
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const deps = await cluster.list({ apiVersion: 'apps/v1', kind: 'Deployment' }).catch(() => []);
      for (const d of deps) {
        const g = meta(d).generation ?? 0;
        if ((d.status?.observedGeneration ?? 0) >= g) continue;
        const n = d.spec.replicas ?? 1;
        await writeStatus(
          cluster,
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            namespace: d.metadata.namespace as string,
            name: d.metadata.name,
          },
          { observedGeneration: g, replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n },
        ).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return () => {
    stopped = true;
  };
}

async function run(
  cluster: LiveCluster,
  config: WizardConfig,
  stateDir: string,
  ids: StepId[] = STEPS_TO_GATEWAY,
  opts: { mode?: RuntimeFlags['mode']; outputs?: StepOutputs; timeout?: number } = {},
) {
  const logs: Record<string, string[]> = {};
  let outputs: StepOutputs = opts.outputs ?? {};
  for (const id of ids) {
    const step = STEPS.find((s) => s.id === id);
    if (!step) throw new Error(`no step ${id}`);
    logs[id] = [];
    const ctx = testContext({
      config,
      configDir: stateDir,
      stateDir,
      io: { cluster, exec: noExec },
      flags: {
        mode: opts.mode ?? 'live',
        wait: (opts.mode ?? 'live') === 'live',
        waitTimeoutSeconds: opts.timeout ?? 30,
      },
      outputs,
      log: (l) => logs[id]?.push(l),
    });
    outputs = { ...outputs, ...(await step.run(ctx)) };
  }
  return { logs, outputs };
}

const applied = (logs: Record<string, string[]>) =>
  Object.values(logs)
    .flat()
    .filter((l) => /^(created|configured|unchanged) /.test(l));

describe.skipIf(skipReason)('api: gateway-api against a real API server', () => {
  const suite = useControlPlane();
  let admin: LiveCluster;
  let stopDeployments: () => void;
  let stopController: () => Promise<void>;
  const behaviour: Parameters<typeof startGatewayApiController>[1] = {};
  const stateDir = mkdtempSync(path.join(tmpdir(), 'wizard-gwapi-'));

  beforeAll(async () => {
    admin = suite().admin;
    await installCrds(admin, { filter: wizardCrds });
    await installCrds(admin, { file: GATEWAY_API_CRDS });
    await createGatewayStandIn(admin, { lbIp: '172.18.255.210' });
    await admin.apply({
      apiVersion: G,
      kind: 'GatewayClass',
      metadata: { name: 'istio' },
      spec: { controllerName: 'istio.io/gateway-controller' },
    });
    stopDeployments = deploymentController(admin);
    stopController = startGatewayApiController(admin, behaviour);
    return async () => {
      stopDeployments();
      await stopController();
    };
  }, 180_000);

  it('runs preflight → apply-gateway, waits on the status, and a second run changes nothing', async () => {
    const config = gatewayApiConfig('gwa');
    const first = await run(admin, config, stateDir);
    const pf = first.logs.preflight?.join('\n') ?? '';
    expect(pf).toContain(
      'PASS  Gateway API CRDs installed (bundle v1.6.1 standard): serving gateway.networking.k8s.io/v1, gateway.networking.k8s.io/v1beta1; Gateway v1/v1beta1, HTTPRoute v1/v1beta1, ReferenceGrant v1/v1beta1',
    );
    expect(pf).toContain('PASS  GatewayClass istio exists (controller istio.io/gateway-controller');
    expect(pf).toContain(
      'gateway deployment: attaching to the existing gateway — Gateway istio-system/gwa-gw with address istio-ingressgateway.istio-system.svc.cluster.local',
    );
    expect(first.outputs.preflight?.gatewayApi).toEqual({
      versions: ['v1', 'v1beta1'],
      referenceGrantVersion: 'gateway.networking.k8s.io/v1',
      deployment: 'attach',
      service: 'istio-ingressgateway',
    });
    expect(first.outputs.preflight?.gatewayAddress).toBe('172.18.255.210');
    expect(applied(first.logs)).toEqual([
      'created    Namespace/gwa',
      'created    Deployment/gwa/flask-v1',
      'created    Deployment/gwa/flask-v2',
      'created    Service/gwa/flask-v1',
      'created    Service/gwa/flask-v2',
      'created    Service/gwa/flask',
      'created    DestinationRule/gwa/flask-v1',
      'created    DestinationRule/gwa/flask-v2',
      'created    Secret/istio-system/a-gwa-example-com-tls',
      'created    Gateway/istio-system/gwa-gw',
      'created    HTTPRoute/gwa/a-gwa-example-com',
      'created    HTTPRoute/gwa/b-gwa-example-com',
      'created    HTTPRoute/gwa/flask-https-redirect',
    ]);
    expect(first.logs['apply-gateway']?.join('\n')).toMatch(
      /Gateway istio-system\/gwa-gw: Accepted and Programmed, every listener's refs resolved, 3 route\(s\) Accepted with resolved backends/,
    );
    const second = await run(admin, config, stateDir, STEPS_TO_GATEWAY);
    expect(applied(second.logs).filter((l) => !l.startsWith('unchanged '))).toEqual([]);
    expect(applied(second.logs)).toHaveLength(12);
  });

  it('explains AddressNotAssigned on a kind cluster instead of waiting out the timeout', async () => {
    const config = gatewayApiConfig('gwc');
    const { outputs } = await run(admin, config, stateDir, STEPS_TO_GATEWAY.slice(0, -1));
    behaviour.addressNotAssigned = true;
    try {
      const started = Date.now();
      const err = await run(admin, config, stateDir, ['apply-gateway'], {
        outputs: {
          ...outputs,
          preflight: { ...(outputs.preflight as NonNullable<StepOutputs['preflight']>), clusterKind: 'kind' },
        },
        timeout: 60,
      }).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(30_000);
      const msg = (err as WizardError).message;
      expect(msg).toContain('Gateway/istio-system/gwc-gw: Programmed=False AddressNotAssigned');
      expect(msg).toContain('run cloud-provider-kind');
      expect(msg).toContain('networking.istio.io/service-type: NodePort');
    } finally {
      behaviour.addressNotAssigned = false;
    }
  });

  it('fails preflight when the GatewayClass does not exist, naming the ones that do', async () => {
    const config = gatewayApiConfig('gwd');
    config.gatewayApi.className = 'nope';
    const lines: string[] = [];
    const err = await runPreflight(admin, config, (l) => lines.push(l)).catch((e: unknown) => e);
    expect((err as WizardError).message).toContain(
      'GatewayClass nope does not exist (GatewayClasses: istio (istio.io/gateway-controller))',
    );
    config.gatewayApi.className = 'istio';
    config.gatewayApi.service = 'no-such-svc';
    const err2 = await runPreflight(admin, config, () => undefined).catch((e: unknown) => e);
    expect((err2 as WizardError).message).toContain('no Service istio-system/no-such-svc to attach to');
    expect((err2 as WizardError).message).toContain('set gatewayApi.service to istio-ingressgateway');
  });

  it('--dry-run=server sends everything with dryRun=All and persists nothing', async () => {
    const dry = await suite().connect({ dryRunServer: true });
    const config = gatewayApiConfig('gwdry');
    const { logs } = await run(dry, config, stateDir, STEPS_TO_GATEWAY, { mode: 'server-dry-run' });
    expect(applied(logs).length).toBeGreaterThanOrEqual(12);
    expect(logs['apply-gateway']).toContain(
      'server dry-run: nothing persisted, so there is no Gateway API status to wait for',
    );
    expect(
      await admin.get({ apiVersion: G, kind: 'Gateway', namespace: 'istio-system', name: 'gwdry-gw' }),
    ).toBeUndefined();
    expect(await admin.get({ apiVersion: 'v1', kind: 'Namespace', name: 'gwdry' })).toBeUndefined();
  });

  it('switches istio → gateway-api → istio, removing the old objects only after the new Gateway is programmed', async () => {
    const gw = gatewayApiConfig('gws');
    const istio: WizardConfig = { ...gw, api: 'istio' };
    await run(admin, istio, stateDir);
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      namespace: 'gws',
      name: 'a-gws-example-com',
    };
    expect(await admin.get(vs)).toBeDefined();

    const seenAtProgrammed: boolean[] = [];
    behaviour.beforeProgrammed = async (g) => {
      if (g.metadata.name === 'gws-gw') seenAtProgrammed.push(!!(await admin.get(vs)));
    };
    try {
      const { logs } = await run(admin, gw, stateDir);
      const pf = logs.preflight?.join('\n') ?? '';
      expect(pf).toContain(
        'switching from api: istio to api: gateway-api: 4 object(s) of the old mode will be removed after the new Gateway and routes are Accepted and Programmed',
      );
      expect(pf).toContain(
        'Gateway/gws/gws-gw, VirtualService/gws/b-gws-example-com, VirtualService/gws/a-gws-example-com, DestinationRule/gws/flask',
      );
      expect(pf).toContain('replaced by: Gateway/istio-system/gws-gw, HTTPRoute/gws/a-gws-example-com');
      expect(pf).not.toMatch(
        /VirtualService\/gws\/a-gws-example-com carries the .* label but is not in the plan/,
      );
      expect(logs['apply-gateway']?.filter((l) => l.startsWith('deleted '))).toEqual([
        'deleted    Gateway/gws/gws-gw (api: istio, replaced)',
        'deleted    VirtualService/gws/b-gws-example-com (api: istio, replaced)',
        'deleted    VirtualService/gws/a-gws-example-com (api: istio, replaced)',
        'deleted    DestinationRule/gws/flask (api: istio, replaced)',
      ]);
      // The old routing still existed when the new Gateway was first programmed, and is gone afterwards.
      expect(seenAtProgrammed[0]).toBe(true);
      expect(await admin.get(vs)).toBeUndefined();
      expect(
        await admin.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'gws', name: 'flask-v1' }),
      ).toBeDefined();
    } finally {
      behaviour.beforeProgrammed = undefined;
    }

    const back = await run(admin, istio, stateDir);
    const removed = back.logs['apply-gateway']?.filter((l) => l.startsWith('deleted ')) ?? [];
    expect(removed).toContain('deleted    HTTPRoute/gws/a-gws-example-com (api: gateway-api, replaced)');
    expect(removed).toContain('deleted    Gateway/istio-system/gws-gw (api: gateway-api, replaced)');
    expect(removed).toContain('deleted    Service/gws/flask-v1 (api: gateway-api, replaced)');
    expect(
      await admin.get({ apiVersion: G, kind: 'Gateway', namespace: 'istio-system', name: 'gws-gw' }),
    ).toBeUndefined();
    expect(await admin.get(vs)).toBeDefined();
  });

  it('teardown removes a gateway-api setup (and what its istio mode left), Deployments last', async () => {
    const config = gatewayApiConfig('gwt');
    await run(admin, config, stateDir);
    const { refs } = await scanTeardown(admin, config);
    const names = refs.map((r) => `${r.kind}/${r.namespace}/${r.name}`);
    expect(names[0]).toMatch(/^HTTPRoute\//);
    expect(names.at(-1)).toMatch(/^Deployment\//);
    expect(names).toContain('Gateway/istio-system/gwt-gw');
    expect(names).toContain('Service/gwt/flask-v2');
    await runTeardown(admin, refs, () => undefined);
    expect((await scanTeardown(admin, config)).refs).toEqual([]);
  });
});
