// `wizard teardown` through the built binary against a real API server: what a server dry run of it does (and does
// not do) to the cluster, the saved progress and the local certificates.
// The gateway stand-in (test/support/gatewayStandIn.ts) only gives preflight a gateway to find (--no-wait, no data
// plane needed). A live teardown on the real gateway — no managed object left, the hosts no longer served — is
// test/stack/flow/tutorial.test.ts.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { skipReason, useControlPlane } from '../support/apiserver.js';
import { REPO, runWizard } from '../support/cli.js';
import { installCrds, wizardCrds } from '../support/crds.js';
import { createGatewayStandIn } from '../support/gatewayStandIn.js';

const EXAMPLE = path.join(REPO, 'assets', 'wizard.example.yaml');
const SKIP = ['--skip', 'build-image,verify', '--no-wait'];

describe.skipIf(skipReason)('wizard teardown (real API server, built CLI)', () => {
  const suite = useControlPlane();
  let kubeconfig: string;
  let stateDir: string;

  beforeAll(async () => {
    const { admin, cp } = suite();
    kubeconfig = cp.adminKubeconfig;
    await installCrds(admin, { filter: wizardCrds });
    await createGatewayStandIn(admin, { lbIp: '192.0.2.10' });
    stateDir = await mkdtemp(path.join(tmpdir(), 'wizard-teardown-'));
    const r = await runWizard([
      '--yes',
      '--config',
      EXAMPLE,
      '--kubeconfig',
      kubeconfig,
      '--state-dir',
      stateDir,
      ...SKIP,
    ]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
  }, 300_000);

  it('--dry-run=server deletes nothing, says so, and keeps the progress and the certificates', async () => {
    // No --yes and no terminal: a dry run has nothing to confirm.
    const r = await runWizard([
      'teardown',
      '--dry-run=server',
      '--purge-certs',
      '--kubeconfig',
      kubeconfig,
      '--state-dir',
      stateDir,
    ]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('server dry-run: nothing is deleted');
    expect(r.stderr).toContain('would delete 9 object(s)');
    expect(r.stderr).toMatch(/deleted\s+Gateway\/default\/flask-gateway \(dry run\)/);
    expect(r.stderr).toContain('--purge-certs ignored');

    const { admin } = suite();
    const deps = await admin.list({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default' });
    expect(deps.map((d) => d.metadata.name).sort()).toEqual(['flask-v1', 'flask-v2']);
    expect(existsSync(path.join(stateDir, 'certs', 'ca.crt'))).toBe(true);
    const steps = await runWizard(['steps', '--state-dir', stateDir]);
    expect(steps.stdout).toMatch(/apply-gateway\s+done/);
  });

  it('names the wizard-labelled objects it leaves because the plan no longer has them', async () => {
    const { admin } = suite();
    // What an earlier config with a version v0 left behind.
    await admin.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'flask-v0',
        namespace: 'default',
        labels: { app: 'flask', 'app.kubernetes.io/managed-by': 'istio-ingress-wizard' },
      },
      spec: {
        selector: { matchLabels: { app: 'flask', version: 'v0' } },
        template: {
          metadata: { labels: { app: 'flask', version: 'v0' } },
          spec: { containers: [{ name: 'flask', image: 'python-flask-server:v2' }] },
        },
      },
    });
    const r = await runWizard(['teardown', '--yes', '--kubeconfig', kubeconfig, '--state-dir', stateDir]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "not deleted: Deployment/default/flask-v0 has the wizard's label but is not in the current plan (from an earlier config?); to remove it: kubectl delete deployments.apps -n default flask-v0",
    );
    expect(r.stderr).toMatch(/deleted\s+Deployment\/default\/flask-v1/);
    const deps = await admin.list({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default' });
    expect(deps.map((d) => d.metadata.name)).toEqual(['flask-v0']);
  });
});
