// The build-image step for real: the built wizard binary (`wizard --config FILE --yes --skip preflight --to
// build-image`) runs its own `docker info`, `docker build -t IMAGE flask/` and `docker push IMAGE` (then the same
// with podman) against the real engines of this directory, pointed at them only through the environment
// (DOCKER_HOST/DOCKER_CONFIG, CONTAINERS_*), and the image lands in the real loopback registry. Its failures are
// real too: an engine that is not there, a build that fails, a push nobody answers.
// Shipping by push contacts no cluster, so preflight is left out and the kubeconfig names a server nothing listens
// on; the whole flow against a real node is the stack tier's job. What cannot run here — loading into kind,
// minikube or k3d, and nerdctl — stays with the recording stand-ins in test/steps/build-image.test.ts.
// Skipped, with the reason printed, when not root or a tool is missing; never counted as passed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wizardOnStack } from '../wizardOnStack.js';
import { enginesUnavailable } from './available.js';
import { baseImageName, FLASK_CONTEXT } from './baseImage.js';
import { type Docker, startDocker } from './docker.js';
import { type Podman, preparePodman } from './podman.js';
import { freePort } from './proc.js';
import { type Registry, startRegistry } from './registry.js';

const skip = enginesUnavailable();
if (skip) console.warn(`SKIP test/stack/engines/buildImageWizard.test.ts: ${skip}`);

const REPO = 'python-flask-server';
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: none, cluster: { server: "https://127.0.0.1:1" } }]
contexts: [{ name: none, context: { cluster: none, user: none } }]
current-context: none
users: [{ name: none, user: { token: unused } }]
`;

describe.skipIf(skip)('build-image for real: the wizard builds with docker and podman and pushes', () => {
  let root: string;
  let registry: Registry;
  let docker: Docker;
  let podman: Podman;
  let n = 0;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'build-image-live-'));
    writeFileSync(path.join(root, 'kubeconfig'), KUBECONFIG);
    registry = await startRegistry({ dir: path.join(root, 'registry') });
    docker = await startDocker({ dir: path.join(root, 'docker') });
    podman = await preparePodman({ dir: path.join(root, 'podman'), insecureRegistries: [registry.host] });
  }, 900_000);

  afterAll(async () => {
    await docker?.stop();
    await podman?.stop();
    await registry?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  }, 120_000);

  /** A run of the real binary with its own state directory; env says which engine. */
  async function wizard(build: Record<string, unknown>, image: string, env: Record<string, string>) {
    const w = wizardOnStack(
      { dir: root, kubeconfig: path.join(root, 'kubeconfig') },
      { name: `run-${++n}`, env },
    );
    await w.write({
      image,
      versions: [{ name: 'v1' }, { name: 'v2' }],
      hosts: [{ name: 'flask.example1.com', protocol: 'HTTP', route: 'v2' }],
      build: { enabled: true, ...build },
    });
    const res = await w.run(['--yes', '--skip', 'preflight', '--to', 'build-image']);
    const state = JSON.parse(readFileSync(path.join(w.state, 'state.json'), 'utf8'));
    return { ...res, record: state.steps['build-image'] };
  }

  it('docker, build.load not set: an image naming a registry and no local cluster is pushed; the registry holds exactly the image docker built', async () => {
    const image = registry.image(REPO, 'v2');
    const r = await wizard({ tool: 'docker' }, image, docker.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('$ docker info --format {{.ServerVersion}}');
    expect(r.stderr).toContain(`$ docker build -t ${image} ${FLASK_CONTEXT}`);
    expect(r.stderr).toContain(`$ docker push ${image}`);
    expect(r.stderr).toContain(`pushed ${image} to registry ${registry.host}`);
    expect(r.record).toMatchObject({
      status: 'done',
      outputs: { 'build-image': { image, tool: 'docker', loadedInto: `registry ${registry.host}` } },
    });
    const { stdout: id } = await docker.docker(['image', 'inspect', '--format', '{{.Id}}', image]);
    expect((await registry.manifest(REPO, 'v2'))?.configDigest).toBe(id.trim());
  }, 600_000);

  it('podman (build.tool: podman): build with chroot isolation, push over plain HTTP to the insecure registry', async () => {
    const image = registry.image(REPO, 'v2-podman');
    const r = await wizard({ tool: 'podman', load: 'push' }, image, podman.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('$ podman info');
    expect(r.stderr).toContain(`$ podman build -t ${image} ${FLASK_CONTEXT}`);
    expect(r.stderr).toContain(`$ podman push ${image}`);
    expect(r.record).toMatchObject({
      status: 'done',
      outputs: { 'build-image': { image, tool: 'podman', loadedInto: `registry ${registry.host}` } },
    });
    const { stdout: id } = await podman.podman(['image', 'inspect', '--format', '{{.Id}}', image]);
    expect((await registry.manifest(REPO, 'v2-podman'))?.configDigest).toBe(`sha256:${id.trim()}`);
  }, 600_000);

  it('an engine that is not there: the daemon check fails with docker’s own words, nothing is built', async () => {
    const gone = path.join(root, 'no-such-docker.sock');
    const image = registry.image(REPO, 'never');
    const r = await wizard({ tool: 'docker' }, image, { ...docker.env, DOCKER_HOST: `unix://${gone}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/docker is installed but its engine is not running or not reachable/);
    expect(r.stderr).toContain(`Cannot connect to the Docker daemon at unix://${gone}`);
    expect(r.stderr).toMatch(/hint: start the Docker daemon/);
    expect(r.stderr).not.toContain('$ docker build');
    expect(r.record).toMatchObject({ status: 'failed' });
    expect(await registry.tags(REPO)).not.toContain('never');
  }, 120_000);

  it('a failing build: the error carries the end of the real build log; nothing is pushed', async () => {
    const context = path.join(root, 'broken-app');
    mkdirSync(context);
    writeFileSync(
      path.join(context, 'Dockerfile'),
      `FROM ${baseImageName()}\nRUN for i in $(seq 1 30); do echo "build line $i"; done; exit 3\n`,
    );
    const image = registry.image(REPO, 'broken');
    const r = await wizard({ tool: 'docker', context }, image, docker.env);
    expect(r.code).toBe(1);
    // The whole log streamed by as progress; the final error carries only its end.
    expect(r.stderr).toMatch(/build line 1$/m);
    // The error is printed once, under its step ("[2/9] build-image: error: …" in plain mode).
    const at = r.stderr.lastIndexOf('error: building ');
    expect(at, r.stderr.slice(-2000)).toBeGreaterThan(-1);
    const error = r.stderr.slice(at);
    expect(error).toMatch(/^error: building .*python-flask-server:broken failed/);
    expect(error).toMatch(/build line 30$/m);
    expect(error).not.toMatch(/build line 1$/m);
    expect(error).toMatch(/returned a non-zero code: 3/);
    expect(r.stderr).not.toContain('$ docker push');
    expect(await registry.tags(REPO)).not.toContain('broken');
  }, 300_000);

  it('a push nobody answers: the error names the push and the hint the registry to log in to', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const image = `${dead}/${REPO}:v2`;
    const r = await wizard({ tool: 'docker' }, image, docker.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`$ docker push ${image}`);
    expect(r.stderr).toMatch(new RegExp(`pushing ${image.replaceAll('.', '\\.')} failed`));
    expect(r.stderr).toMatch(/connection refused/);
    expect(r.stderr).toContain(`docker login ${dead}`);
  }, 300_000);
});
