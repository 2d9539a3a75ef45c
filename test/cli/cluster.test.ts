// The built `wizard` binary, as a person runs it, against a real kube-apiserver + etcd with the real Istio CRDs:
// set up, run again (nothing changes), list the steps, tear down (only what it manages), tear down again.
// No data plane and no rollout (--no-wait, build-image and verify skipped): the gateway stand-in
// (test/support/gatewayStandIn.ts) only gives preflight a gateway to find. What is checked here is the API server's
// side — --dry-run=server, contexts, unmanaged look-alikes, no terminal — in seconds; the same flow with every step
// real, second run and teardown included, is test/stack/flow/tutorial.test.ts.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { skipReason, useControlPlane } from '../support/apiserver.js';
import { REPO, runWizard } from '../support/cli.js';
import { installCrds, wizardCrds } from '../support/crds.js';
import { createGatewayStandIn } from '../support/gatewayStandIn.js';

const EXAMPLE = path.join(REPO, 'assets', 'wizard.example.yaml');
// Steps that need a container engine or a data plane: not here (see test/steps/build-image.test.ts and test/verify).
const SKIP = ['--skip', 'build-image,verify', '--no-wait'];

describe.skipIf(skipReason)('wizard against a real API server', () => {
  const suite = useControlPlane();
  let stateDir: string;
  let kubeconfig: string;
  /** `wizard --yes` on the example against the test cluster, with extra flags. */
  const setUp = (...extra: string[]) =>
    runWizard([
      '--yes',
      '--config',
      EXAMPLE,
      '--kubeconfig',
      kubeconfig,
      '--state-dir',
      stateDir,
      ...extra,
      ...SKIP,
    ]);

  beforeAll(async () => {
    const { admin, cp } = suite();
    kubeconfig = cp.adminKubeconfig;
    await installCrds(admin, { filter: wizardCrds });
    await createGatewayStandIn(admin, { lbIp: '192.0.2.10' });
    stateDir = await mkdtemp(path.join(tmpdir(), 'wizard-e2e-'));
  }, 300_000);

  it('--dry-run=server sends everything through admission and persists nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wizard-e2e-server-'));
    const r = await runWizard([
      '--yes',
      '--dry-run=server',
      '--config',
      EXAMPLE,
      '--kubeconfig',
      kubeconfig,
      '--state-dir',
      dir,
      ...SKIP,
    ]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('server dry-run: nothing persists');
    expect(r.stderr).toMatch(/created\s+Gateway\/default\/flask-gateway/);
    const { admin } = suite();
    expect(await admin.list({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default' })).toEqual([]);
    expect(
      await admin.list({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', namespace: 'default' }),
    ).toEqual([]);
    // A live run afterwards still does every step: a dry-run did not count as done.
    const steps = await runWizard(['steps', '--state-dir', dir]);
    expect(steps.stdout).toMatch(/deploy-versions\s+done \(server-dry-run\)/);
  });

  it('sets up the example: shows the context first, creates every object, finds the gateway address', async () => {
    const r = await setUp();
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const contextAt = r.stderr.indexOf('cluster: context "envtest-admin"');
    expect(contextAt).toBeGreaterThanOrEqual(0);
    expect(contextAt).toBeLessThan(r.stderr.indexOf('created'));
    for (const ref of [
      'Deployment/default/flask-v1',
      'Deployment/default/flask-v2',
      'Service/default/flask',
      'DestinationRule/default/flask',
      'Secret/istio-system/flask-example1-com-tls',
      'Gateway/default/flask-gateway',
    ]) {
      expect(r.stderr).toMatch(new RegExp(`created\\s+${ref.replace(/\//g, '\\/')}`));
    }
    expect(r.stderr).toContain('192.0.2.10');
    expect(r.stdout).toBe('');
    const gw = await suite().admin.get({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      namespace: 'default',
      name: 'flask-gateway',
    });
    expect(gw?.spec.servers.filter((s: { tls?: unknown }) => s.tls)).toHaveLength(2);
  });

  it('a second run changes nothing: every object unchanged', async () => {
    const r = await setUp('--from', 'preflight');
    expect(r.code).toBe(0);
    const outcomes = [...r.stderr.matchAll(/\b(created|configured|unchanged)\s+(\S+\/\S+)/g)].map(
      (m) => m[1],
    );
    expect(outcomes.length).toBeGreaterThanOrEqual(9);
    expect(new Set(outcomes)).toEqual(new Set(['unchanged']));
  });

  it('`wizard steps` shows what was done and what was left out', async () => {
    const r = await runWizard(['steps', '--state-dir', stateDir]);
    expect(r.stdout).toMatch(/preflight\s+done\n/);
    expect(r.stdout).toMatch(/apply-gateway\s+done\n/);
    expect(r.stdout).toMatch(/verify\s+pending\n/);
  });

  it('a kube context that does not exist is named, with the ones that do', async () => {
    const r = await setUp('--context', 'nope');
    expect([1, 2]).toContain(r.code);
    expect(r.stderr).toContain('nope');
    expect(r.stderr).toContain('envtest-admin');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('teardown deletes exactly the managed objects, leaves an unmanaged look-alike, and is harmless twice', async () => {
    const { admin } = suite();
    // Same labels, different name: not in the plan, so not ours to delete.
    await admin.apply({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'flask-lookalike',
        namespace: 'default',
        labels: { app: 'flask', 'app.kubernetes.io/managed-by': 'istio-ingress-wizard' },
      },
      spec: { ports: [{ name: 'http', port: 80 }], selector: { app: 'flask' } },
    });
    const r = await runWizard(['teardown', '--yes', '--kubeconfig', kubeconfig, '--state-dir', stateDir]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/deleted\s+Gateway\/default\/flask-gateway/);
    expect(r.stderr).toMatch(/deleted\s+Secret\/istio-system\/flask-example2-com-tls/);
    const left = await admin.list({ apiVersion: 'v1', kind: 'Service', namespace: 'default' });
    expect(left.map((s) => s.metadata.name).sort()).toEqual(['flask-lookalike', 'kubernetes']);
    expect(await admin.list({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default' })).toEqual([]);
    const gwNs = await admin.list({ apiVersion: 'v1', kind: 'Service', namespace: 'istio-system' });
    expect(gwNs.map((s) => s.metadata.name)).toEqual(['istio-ingressgateway']);

    const again = await runWizard(['teardown', '--yes', '--kubeconfig', kubeconfig, '--state-dir', stateDir]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('nothing to delete');
  });

  it('teardown without --yes and without a terminal refuses instead of hanging', async () => {
    await setUp('--from', 'preflight');
    const r = await runWizard(['teardown', '--kubeconfig', kubeconfig, '--state-dir', stateDir], {
      timeoutMs: 20_000,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
  });
});
