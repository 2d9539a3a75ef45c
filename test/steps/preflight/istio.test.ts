// Which Istio API version preflight picks, on a cluster without Istio and on one serving only v1beta1.
// Both are clusters the real stack (Istio 1.30's CRDs, serving v1) is not; the gateway stand-in
// (test/support/gatewayStandIn.ts) only gives preflight a gateway to find.
import { describe, expect, it } from 'vitest';
import { WizardError } from '../../../src/errors.js';
import { buildManifests } from '../../../src/manifests/index.js';
import { runPreflight } from '../../../src/steps/preflight.js';
import { skipReason, useControlPlane } from '../../support/apiserver.js';
import { exampleConfig, fakeCerts } from '../../support/configs.js';
import { installCrds, serveOnly, wizardCrds } from '../../support/crds.js';
import { createGatewayStandIn } from '../../support/gatewayStandIn.js';

describe.skipIf(skipReason)('Istio versions (real API server)', () => {
  const suite = useControlPlane();

  it('without Istio CRDs preflight fails clearly and writes nothing', async () => {
    const { admin } = suite();
    await createGatewayStandIn(admin, { lbIp: '10.0.0.50' });
    const lines: string[] = [];
    const err = await runPreflight(admin, exampleConfig(), (l) => lines.push(l)).catch((e) => e);
    expect(err).toBeInstanceOf(WizardError);
    expect(lines).toContain(
      'FAIL  Istio CRDs not installed: the API server serves no networking.istio.io versions — fix: install Istio (istioctl install --set profile=default -y, or the istio/base Helm chart) and re-run',
    );
    expect(err.message).toContain('Istio CRDs not installed');
    // the other checks still ran
    expect(lines).toContain('PASS  gateway address: 10.0.0.50 (LoadBalancer)');
  });

  it('auto picks v1beta1 when only v1beta1 is served; explicit v1 fails with the served list', async () => {
    const { admin } = suite();
    await installCrds(admin, { filter: wizardCrds, patch: serveOnly('v1beta1') });
    expect(await admin.servedVersions('networking.istio.io')).toEqual(['v1beta1']);
    const out = await runPreflight(admin, exampleConfig(), () => undefined);
    expect(out.apiVersion).toBe('networking.istio.io/v1beta1');

    const cfg = exampleConfig();
    cfg.istio.apiVersion = 'networking.istio.io/v1';
    const lines: string[] = [];
    await expect(runPreflight(admin, cfg, (l) => lines.push(l))).rejects.toThrow(WizardError);
    expect(lines).toContain(
      'FAIL  istio.apiVersion networking.istio.io/v1 is not served by the cluster (served: networking.istio.io/v1beta1) — fix: set istio.apiVersion to auto or to one of the served versions',
    );

    // and the v1beta1 plan applies
    const plan = buildManifests(exampleConfig(), {
      apiVersion: out.apiVersion,
      certs: fakeCerts(exampleConfig()),
    });
    for (const o of plan) expect((await admin.apply(o)).outcome).toBe('created');
    const gw = await admin.get({
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'Gateway',
      namespace: 'default',
      name: 'flask-gateway',
    });
    expect(gw?.spec.servers).toHaveLength(2);
  });
});
