// Issue 8, item 4 on the real stack: Ctrl-C in the middle of deploy-versions' rollout wait, then `wizard` again.
// Why: an interrupt is the likeliest way a real run stops half-way, and the wait for pods to become Ready is where
// a run spends its time. The app image here sleeps 25 s before serving, so the pods' readiness probe (the real
// kubelet's) keeps the rollout pending long enough to interrupt it for certain: SIGINT goes to the built `wizard`
// once its Deployments exist and no pod is Ready. It must exit 130; the next `wizard --yes` on the same state
// directory resumes at deploy-versions and finishes, and the objects it leaves (spec of each, normalised dumps)
// equal those of an uninterrupted run of the same config in a fresh namespace and state directory. A second
// `wizard --yes` then reports every object unchanged.
import { describe, expect, it } from 'vitest';
import { connectCluster } from '../../../src/io/kube/connect.js';
import { mixedHosts, stackConfig } from '../configs.js';
import { FLASK_CMD, pushDerivedImage } from '../engines/derivedImage.js';
import { pushFlaskImage } from '../engines/engines.js';
import { managedObjects } from '../managedObjects.js';
import { stackSkipReason, useStack } from '../stack.js';
import { expectOk, wizardOnStack } from '../wizardOnStack.js';

const skip = await stackSkipReason('Ctrl-C during the rollout wait, then resume (test/stack/features)');
const report = (line: string) => process.stderr.write(`[stack/features resume] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skip)('interrupted during the rollout wait, then resumed', () => {
  const stack = useStack();

  it('exits 130, resumes at deploy-versions, ends with the objects of an uninterrupted run; a second run changes nothing', async () => {
    const s = stack();
    const slow = await pushDerivedImage(
      s.engines,
      await pushFlaskImage(s.engines),
      'slow',
      `sleep 25; ${FLASK_CMD}`,
    );

    // The uninterrupted run, for comparison; then torn down so the interrupted one can claim the same hosts.
    const straight = wizardOnStack(s, { name: 'straight', env: s.env() });
    await straight.write(stackConfig({ image: slow, namespace: 'straight', hosts: mixedHosts }));
    const whole = await straight.run();
    expectOk(whole, 'the uninterrupted run');
    report(`uninterrupted run: ${whole.ms} ms`);
    const expected = await managedObjects(s.kubeconfig, 'straight');
    expect(expected.map((o) => `${o.kind}/${o.name}`)).toEqual(
      expect.arrayContaining([
        'Deployment/flask-v1',
        'Deployment/flask-v2',
        'Gateway/flask-gateway',
        'Secret/flask-example1-com-tls',
      ]),
    );
    expectOk(await straight.run(['teardown', '--yes']), 'teardown of the uninterrupted run');

    const w = wizardOnStack(s, { name: 'interrupted', env: s.env() });
    await w.write(stackConfig({ image: slow, namespace: 'interrupted', hosts: mixedHosts }));
    const cluster = await connectCluster({ kubeconfig: s.kubeconfig });
    let readyAtInterrupt = -1;
    try {
      const interrupted = await w.run(['--yes'], {
        onSpawn: (child) => {
          void (async () => {
            // Wait for the step's objects, then interrupt while no pod is Ready (the image sleeps 25 s).
            for (let i = 0; i < 600; i++) {
              const deps = await cluster
                .list({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'interrupted' })
                .catch(() => []);
              if (deps.length === 2) {
                await sleep(2000);
                const pods = await cluster.list({ apiVersion: 'v1', kind: 'Pod', namespace: 'interrupted' });
                readyAtInterrupt = pods.filter((p) =>
                  (p.status?.conditions ?? []).some(
                    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
                  ),
                ).length;
                child.kill('SIGINT');
                return;
              }
              await sleep(200);
            }
          })();
        },
      });
      expect(readyAtInterrupt, 'pods Ready when SIGINT was sent (must be mid-wait)').toBe(0);
      expect(interrupted.code, interrupted.stderr.slice(-3000)).toBe(130);
      expect(interrupted.stderr).toMatch(/deploy-versions/);
      // Stopped inside deploy-versions: the next step's DestinationRule was never applied.
      expect(
        await cluster.list({
          apiVersion: 'networking.istio.io/v1',
          kind: 'DestinationRule',
          namespace: 'interrupted',
        }),
      ).toEqual([]);
    } finally {
      cluster.close();
    }

    const resumed = await w.run();
    expectOk(resumed, 'the resumed run');
    expect(resumed.stderr).toContain('resuming at deploy-versions');
    report(`resumed run: ${resumed.ms} ms`);
    expect(await managedObjects(s.kubeconfig, 'interrupted')).toEqual(expected);

    // A second `--yes`: every step is done, so only verify runs again and nothing is applied.
    const again = await w.run();
    expectOk(again, 'the second run');
    expect(again.stderr).toContain('every step is done');
    expect(again.stderr).not.toMatch(/\b(created|configured)\s+[A-Z]\w+\//);
    // And every step again from the start: each object the resumed run left is reported unchanged.
    const all = await w.run(['--yes', '--from', 'preflight']);
    expectOk(all, 'the run of every step again');
    expect(all.stderr).not.toMatch(/\b(created|configured)\s+[A-Z]\w+\//);
    const unchanged = all.stderr.match(/unchanged\s+[A-Z]\w+\/\S+/g) ?? [];
    expect(unchanged.length, all.stderr.slice(-3000)).toBeGreaterThanOrEqual(expected.length);
  }, 1_200_000);
});
