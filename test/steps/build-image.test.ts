// The build-image step's command lines for what cannot run on the test machines, against recording stand-ins
// (test/support/fakeBin) that check the exact argv: loading into kind, minikube and k3d clusters (none of them can
// run here), nerdctl, tool selection by PATH, a Containerfile, and that build output streams line by line while
// the build runs (the stand-in waits for each line to arrive; a real build cannot be paced like that). The docker
// and podman paths that can run here — daemon check, build, push to a registry, a daemon that is down, a failed
// build's log, a failed push's hint — run for real in test/stack/engines/buildImageWizard.test.ts, against real
// engines and a real registry, so their recordings were retired from this file.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError, WizardError } from '../../src/errors.js';
import { bundledFlaskContext } from '../../src/image/paths.js';
import { buildImageStep } from '../../src/steps/build-image.js';
import { defaultsWith } from '../support/configs.js';
import { preflight, stepContext } from '../support/context.js';
import { createFakeBin, type FakeBin, type Rule, type StandIn } from '../support/fakeBin/harness.js';

const flask = bundledFlaskContext();
let fake: FakeBin | undefined;
let restore: (() => void) | undefined;

function withTools(tools: StandIn[], opts: { fail?: string[]; rules?: Rule[] } = {}): FakeBin {
  fake = createFakeBin(tools);
  restore = fake.use(opts);
  return fake;
}

afterEach(() => {
  restore?.();
  fake?.cleanup();
  restore = undefined;
  fake = undefined;
});

async function failure(p: Promise<unknown>): Promise<WizardError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WizardError);
  return err as WizardError;
}

describe('build-image: build and ship', () => {
  it('docker + kind: checks the daemon, builds the bundled app, loads it into the kind cluster', async () => {
    const f = withTools(['docker', 'kind', 'podman']);
    const ctx = stepContext(
      defaultsWith(),
      preflight({ context: 'kind-dev', clusterKind: 'kind', clusterName: 'dev' }),
    );
    const plan = await buildImageStep.plan(ctx);
    expect(f.calls()).toEqual([]); // plan runs nothing but `which`
    const out = await buildImageStep.run(ctx);
    const expected = [
      'docker info --format {{.ServerVersion}}',
      `docker build -t python-flask-server:v2 ${flask}`,
      'kind load docker-image python-flask-server:v2 --name dev',
    ];
    expect(f.lines()).toEqual(expected);
    expect(plan.commands?.map((c) => [c.cmd, ...c.args].join(' '))).toEqual(expected);
    expect(out).toEqual({
      'build-image': { image: 'python-flask-server:v2', tool: 'docker', loadedInto: 'kind dev' },
    });
    expect(ctx.logged).toContain('Successfully tagged python-flask-server:v2');
    expect(ctx.logged.at(-1)).toBe('loaded python-flask-server:v2 into the kind cluster dev');
  });

  it('podman + minikube profile: saves an archive and loads it with -p', async () => {
    const f = withTools(['podman', 'minikube']);
    const ctx = stepContext(
      defaultsWith(),
      preflight({ context: 'wiz', clusterKind: 'minikube', clusterName: 'wiz' }),
    );
    await buildImageStep.run(ctx);
    const tar = path.join(ctx.stateDir, 'images', 'python-flask-server_v2.tar');
    expect(f.lines()).toEqual([
      'podman info',
      `podman build -t python-flask-server:v2 ${flask}`,
      `podman save -o ${tar} python-flask-server:v2`,
      `minikube image load ${tar} -p wiz`,
    ]);
    expect(existsSync(tar)).toBe(true);
  });

  it('minikube default profile: no -p; detected from the context name alone', async () => {
    const f = withTools(['docker', 'minikube']);
    await buildImageStep.run(stepContext(defaultsWith(), preflight({ context: 'minikube' })));
    expect(f.lines().at(-1)).toBe('minikube image load python-flask-server:v2');
  });

  it('nerdctl + k3d detected from a k3d-<name> context', async () => {
    const f = withTools(['nerdctl', 'k3d']);
    const ctx = stepContext(defaultsWith(), preflight({ context: 'k3d-demo' }));
    const out = await buildImageStep.run(ctx);
    const tar = path.join(ctx.stateDir, 'images', 'python-flask-server_v2.tar');
    expect(f.lines()).toEqual([
      'nerdctl info',
      `nerdctl build -t python-flask-server:v2 ${flask}`,
      `nerdctl save -o ${tar} python-flask-server:v2`,
      `k3d image import ${tar} -c demo`,
    ]);
    expect(out['build-image']?.loadedInto).toBe('k3d demo');
  });

  it('preflight not run (--from build-image): the local cluster comes from the kube context in use', async () => {
    const f = withTools(['docker', 'kind']);
    const kindDev = (config = defaultsWith()) => {
      const ctx = stepContext(config);
      const offline = ctx.io.cluster;
      ctx.io = {
        ...ctx.io,
        cluster: { ...offline, target: () => ({ context: 'kind-dev', server: 'https://x', offline: false }) },
      };
      return ctx;
    };
    await buildImageStep.run(kindDev());
    expect(f.lines().at(-1)).toBe('kind load docker-image python-flask-server:v2 --name dev');
    await buildImageStep.run(kindDev(defaultsWith({ build: { enabled: true, load: 'kind' } })));
    expect(f.lines().at(-1)).toBe('kind load docker-image python-flask-server:v2 --name dev');
  });

  it('an image without a registry and no local cluster: a usage error naming image and build.load, nothing run', async () => {
    const f = withTools(['docker']);
    const err = await failure(
      buildImageStep.run(stepContext(defaultsWith({ image: 'me/flask:v2' }), preflight())),
    );
    expect(err).toBeInstanceOf(UsageError);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/image: "me\/flask:v2" names no registry/);
    expect(err.message).toMatch(/build\.load:/);
    expect(f.calls()).toEqual([]);
  });

  it('an image pinned by a digest: a usage error naming image and build.enabled, nothing run', async () => {
    const f = withTools(['docker', 'kind']);
    const image = `registry.example.com/flask@sha256:${'0'.repeat(64)}`;
    const ctx = stepContext(
      defaultsWith({ image }),
      preflight({ context: 'kind-dev', clusterKind: 'kind', clusterName: 'dev' }),
    );
    expect((await buildImageStep.plan(ctx)).notes?.join('\n')).toMatch(/pinned by a digest/);
    const err = await failure(buildImageStep.run(ctx));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toMatch(/^image: ".*" is pinned by a digest/);
    expect(err.message).toMatch(/build\.enabled: or set false/);
    expect(f.calls()).toEqual([]);
  });

  it('build.load: none builds only; an explicit build.load overrides detection', async () => {
    const f = withTools(['docker', 'kind', 'k3d']);
    const pre = preflight({ context: 'kind-dev', clusterKind: 'kind', clusterName: 'dev' });
    await buildImageStep.run(stepContext(defaultsWith({ build: { enabled: true, load: 'none' } }), pre));
    expect(f.lines()).toEqual([
      'docker info --format {{.ServerVersion}}',
      `docker build -t python-flask-server:v2 ${flask}`,
    ]);
    await buildImageStep.run(stepContext(defaultsWith({ build: { enabled: true, load: 'k3d' } }), pre));
    expect(f.lines().at(-1)).toBe('k3d image import python-flask-server:v2 -c k3s-default');
  });

  it('build.enabled: false is a no-op that marks the image prebuilt', async () => {
    const f = withTools(['docker']);
    const ctx = stepContext(defaultsWith({ build: { enabled: false } }));
    expect((await buildImageStep.plan(ctx)).notes?.[0]).toMatch(/build.enabled is false/);
    expect(await buildImageStep.run(ctx)).toEqual({
      'build-image': { image: 'python-flask-server:v2', prebuilt: true },
    });
    expect(f.calls()).toEqual([]);
  });

  it('build.tool picks podman even when docker is first on PATH; build.context is resolved from the config dir', async () => {
    const f = withTools(['docker', 'podman']);
    const ctx = stepContext(
      defaultsWith({ build: { enabled: true, tool: 'podman', context: 'app', load: 'none' } }),
    );
    ctx.configDir = ctx.stateDir;
    mkdirSync(path.join(ctx.stateDir, 'app'));
    writeFileSync(path.join(ctx.stateDir, 'app', 'Containerfile'), 'FROM scratch\n');
    await buildImageStep.run(ctx);
    const app = path.join(ctx.stateDir, 'app');
    // Only a Containerfile: named with -f (docker reads only a Dockerfile by default).
    expect(f.lines()).toEqual([
      'podman info',
      `podman build -f ${app}/Containerfile -t python-flask-server:v2 ${app}`,
    ]);
  });
});

describe('build-image: failures say what to do next', () => {
  it('no container tool on PATH', async () => {
    withTools(['kind']);
    const ctx = stepContext(defaultsWith(), preflight({ clusterKind: 'kind' }));
    const plan = await buildImageStep.plan(ctx);
    expect(plan.notes?.join('\n')).toMatch(
      /no container tool on PATH \(looked for docker, podman, nerdctl\)/,
    );
    const err = await failure(buildImageStep.run(ctx));
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe('no container tool found on PATH (looked for docker, podman, nerdctl)');
    expect(err.hint).toMatch(/install Docker.*or install Podman.*or install nerdctl.*build\.enabled: false/);
  });

  it('the configured build.tool is missing', async () => {
    withTools(['docker']);
    const err = await failure(
      buildImageStep.run(
        stepContext(defaultsWith({ build: { enabled: true, tool: 'nerdctl', load: 'none' } })),
      ),
    );
    expect(err.message).toBe('build.tool (--build-tool) is nerdctl, but nerdctl is not on PATH');
    expect(err.hint).toMatch(/or use docker, which is on PATH \(build\.tool \/ --build-tool docker\)/);
  });

  it('kind not on PATH: said before building', async () => {
    const f = withTools(['docker']);
    const err = await failure(
      buildImageStep.run(stepContext(defaultsWith(), preflight({ context: 'kind-x' }))),
    );
    expect(err.message).toMatch(/^kind is not on PATH/);
    expect(err.hint).toMatch(/install kind/);
    expect(f.calls()).toEqual([]);
  });

  it('a failed save (podman → archive) stops before loading', async () => {
    const f = withTools(['podman', 'kind'], { fail: ['podman:save'] });
    const err = await failure(
      buildImageStep.run(stepContext(defaultsWith(), preflight({ clusterKind: 'kind' }))),
    );
    expect(err.message).toMatch(/^saving python-flask-server:v2 to an archive failed \(`podman save -o /);
    expect(f.lines().some((l) => l.startsWith('kind'))).toBe(false);
  });

  it('a failed load', async () => {
    withTools(['docker', 'kind'], { fail: ['kind:load'] });
    const err = await failure(
      buildImageStep.run(stepContext(defaultsWith(), preflight({ clusterKind: 'kind' }))),
    );
    expect(err.message).toMatch(
      /loading python-flask-server:v2 into the cluster failed \(`kind load docker-image/,
    );
    expect(err.message).toMatch(/failing as told/);
    expect(err.hint).toMatch(/^check that the kind cluster exists \(`kind get clusters`;/);
  });
});

describe('build-image: streaming', () => {
  it('hands each build line to ctx.log, in order, while the build still runs', async () => {
    const f0 = createFakeBin([]);
    const ackDir = path.join(f0.dir, 'acks');
    mkdirSync(ackDir);
    const lines = ['#1 [internal] load build definition', '#2 FROM python', '#3 RUN pip install', '#4 DONE'];
    // The stand-in prints line i, then waits until the test has received it (an ack file) before printing the
    // next: it can only finish if every line reached ctx.log while it was still running.
    withTools(['docker'], { rules: [{ match: 'docker build', stdout: lines, ackDir }] });
    const received: string[] = [];
    const ctx = stepContext(defaultsWith({ build: { enabled: true, load: 'none' } }), undefined, (l) => {
      const i = lines.indexOf(l);
      if (i >= 0) {
        received.push(l);
        writeFileSync(path.join(ackDir, String(i)), '');
      }
    });
    try {
      await buildImageStep.run(ctx);
    } finally {
      f0.cleanup();
    }
    expect(received).toEqual(lines);
  });
});
