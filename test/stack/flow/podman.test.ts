// Issue 8, item 2 with podman: the whole flow, preflight to verify, as a user runs it with `build.tool: podman`.
// The wizard's own `podman build` and `podman push` (the default push to the loopback registry), the kubelet
// pulling exactly that image, the rollout wait ending because the pods pass their readiness probe, verify's curl
// through the real Envoy. The docker flow is test/stack/flow/tutorial.test.ts; this file proves the other engine
// did the work: the tag is one docker never saw, podman's OCI manifest is what the registry holds, and docker's
// store has no such image.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectCluster } from '../../../src/io/kube/connect.js';
import type { K8sObject } from '../../../src/manifests/types.js';
import { FLASK_REPOSITORY } from '../engines/engines.js';
import { stackSkipReason, useStack } from '../stack.js';
import { curlGateway, expectOk, wizardOnStack } from '../wizardOnStack.js';

const skip = await stackSkipReason('the podman flow (test/stack/flow)');
const report = (line: string) => process.stderr.write(`[stack/flow podman] ${line}\n`);

const TAG = 'built-by-podman';
const HOSTS = { 'podman1.example.com': 'v1', 'podman2.example.com': 'v2' };

type PodStatus = {
  conditions?: { type: string; status: string; lastTransitionTime?: string }[];
  containerStatuses?: { ready: boolean; imageID: string }[];
};

describe.skipIf(skip)('the whole flow with podman on the real stack', () => {
  const stack = useStack({ podman: true });

  it('podman builds and pushes, the kubelet pulls that image, rollout waits for readiness, verify passes', async () => {
    const s = stack();
    const image = s.flaskImage(TAG);
    // Only podman's environment: if the wizard ran docker instead, docker would find no daemon.
    const w = wizardOnStack(s, {
      name: 'podman',
      env: { ...s.env('podman'), DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      timeoutMs: 900_000,
    });
    await w.write({
      namespace: 'default',
      app: 'flask',
      image,
      versions: [{ name: 'v1' }, { name: 'v2' }],
      gateway: { name: 'flask-gateway' },
      hosts: Object.entries(HOSTS).map(([name, route]) => ({ name, protocol: 'HTTP', route })),
      build: { tool: 'podman' },
    });
    const run = await w.run();
    expectOk(run);
    report(`the whole flow with a real podman build and push: ${run.ms} ms`);
    for (const step of [
      'preflight',
      'build-image',
      'deploy-versions',
      'define-subsets',
      'add-hosts',
      'apply-gateway',
      'verify',
    ]) {
      expect(run.stderr, `${step} did not finish`).toMatch(new RegExp(`\\] ${step} done \\(`));
    }
    // build-image planned podman commands and no docker ones.
    expect(run.stderr).toMatch(/podman build\b/);
    expect(run.stderr).toMatch(/podman push\b/);
    expect(run.stderr).not.toMatch(/\bdocker (build|push)\b/);

    // The registry holds the tag, as an OCI manifest (podman's default; docker pushes Docker v2 schema 2).
    const manifest = await s.engines.registry.manifest(FLASK_REPOSITORY, TAG);
    expect(manifest, `the registry has no ${FLASK_REPOSITORY}:${TAG}`).toBeDefined();
    expect(manifest?.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    await expect(s.engines.docker.docker(['image', 'inspect', image])).rejects.toThrow();

    // The pods run the image the kubelet pulled from the registry (its digest), and were Ready — on the
    // readiness probe — before deploy-versions' rollout wait ended.
    const saved = JSON.parse(await readFile(path.join(w.state, 'state.json'), 'utf8'));
    const deployedAt = Date.parse(saved.steps['deploy-versions'].finishedAt);
    const cluster = await connectCluster({ kubeconfig: s.kubeconfig });
    try {
      const pods: K8sObject[] = await cluster.list({
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: 'default',
        labelSelector: 'app=flask',
      });
      expect(pods.length).toBe(2);
      for (const pod of pods) {
        const spec = pod.spec as { containers: { image: string; readinessProbe?: unknown }[] };
        const status = pod.status as PodStatus;
        expect(spec.containers[0]?.image).toBe(image);
        expect(spec.containers[0]?.readinessProbe).toBeDefined();
        expect(status.containerStatuses?.[0]?.ready).toBe(true);
        expect(status.containerStatuses?.[0]?.imageID).toBe(
          `${s.registry}/${FLASK_REPOSITORY}@${manifest?.digest}`,
        );
        const ready = status.conditions?.find((c) => c.type === 'Ready');
        expect(ready?.status).toBe('True');
        // lastTransitionTime has whole seconds: the pod became Ready at or before the step's end.
        expect(Date.parse(ready?.lastTransitionTime ?? '')).toBeLessThanOrEqual(deployedAt);
      }
    } finally {
      cluster.close();
    }

    // Each host answers with its version through the real gateway, and verify agrees on its own.
    for (const [host, version] of Object.entries(HOSTS)) {
      expect(await curlGateway(s.gatewayAddress, `http://${host}/version`)).toMatchObject({
        status: 200,
        body: version,
      });
    }
    expectOk(await w.run(['verify']), 'wizard verify');
  }, 1_800_000);
});
