// The real container engines and registry the live tier builds with: Debian's dockerd 20.10 (through the machine's
// docker CLI) and podman 4.3 build flask/ unchanged FROM the locally made base image, push to a real
// docker-registry on loopback, and the image comes back and serves /version. Afterwards nothing is left: no
// process, mount, bridge, iptables rule or cgroup. Skipped, with the reason printed, when not root or a tool is
// missing (test/stack/engines/setup.sh installs them) — never counted as passed.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enginesUnavailable } from './available.js';
import { FLASK_CONTEXT } from './baseImage.js';
import { type Docker, leftoverCgroups, startDocker } from './docker.js';
import { hostState, mountsUnder, processesMentioning } from './hostState.js';
import { type Podman, podmanFiles, preparePodman } from './podman.js';
import { type Registry, startRegistry } from './registry.js';

const exec = promisify(execFile);
const skip = enginesUnavailable();
if (skip) console.warn(`SKIP test/stack/engines/engines.test.ts: ${skip}`);

const REPO = 'python-flask-server';

/** GET /version of a container published on 127.0.0.1, retried while gunicorn starts. */
async function version(port: string): Promise<string> {
  const deadline = Date.now() + 30000;
  for (;;) {
    try {
      const { stdout } = await exec('curl', [
        '-sS',
        '--fail',
        '--max-time',
        '5',
        `http://127.0.0.1:${port}/version`,
      ]);
      return stdout;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** docker run IMAGE with VERSION=v9 on a loopback port, then the answer of /version; the container is removed. */
async function runAndAsk(docker: Docker, image: string): Promise<string> {
  const { stdout: id } = await docker.docker([
    'run',
    '-d',
    '-e',
    'VERSION=v9',
    '-p',
    '127.0.0.1::8080',
    image,
  ]);
  try {
    const { stdout: port } = await docker.docker(['port', id.trim(), '8080/tcp']);
    return await version(port.trim().split(':').at(-1) ?? '');
  } finally {
    await docker.docker(['rm', '-f', id.trim()]);
  }
}

describe.skipIf(skip)('real engines: build flask/, push to a loopback registry, pull back, run', () => {
  let root: string;
  let registry: Registry;
  let docker: Docker;
  let podman: Podman;
  const before = skip ? undefined : hostState();
  const keyJsonBefore = existsSync('/etc/docker/key.json');
  const varLibContainersBefore = existsSync('/var/lib/containers');

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'engines-'));
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

  it('docker: builds flask/ FROM the local base image, pip reaching PyPI only through the bridge proxy', async () => {
    const image = `${registry.host}/${REPO}:docker`;
    const { stdout } = await docker.docker(['build', '-t', image, FLASK_CONTEXT]);
    expect(stdout).toMatch(/Successfully installed .*Flask-3\.1\.3/);
    expect(stdout).toContain(`Successfully tagged ${image}`);
    const proxyLog = readFileSync(path.join(root, 'docker', 'egress-proxy.log'), 'utf8');
    expect(proxyLog).toMatch(/^connect pypi\.org:443$/m);
    expect(proxyLog).not.toMatch(/^refused/m);
  }, 600_000);

  it('docker: pushes to the loopback registry (plain HTTP), and the image comes back after rmi', async () => {
    const image = `${registry.host}/${REPO}:docker`;
    await docker.docker(['push', image]);
    expect(await registry.tags(REPO)).toContain('docker');
    await docker.docker(['rmi', image]);
    await expect(docker.docker(['image', 'inspect', image])).rejects.toThrow();
    await docker.docker(['pull', image]);
    expect(await runAndAsk(docker, image)).toBe('v9');
  }, 600_000);

  it('podman: builds flask/ (chroot isolation) and pushes to the registry marked insecure in registries.conf', async () => {
    const image = `${registry.host}/${REPO}:podman`;
    const { stdout } = await podman.podman(['build', '-t', image, FLASK_CONTEXT]);
    expect(stdout).toContain(`Successfully tagged ${image}`);
    await podman.podman(['push', image]);
    expect(await registry.tags(REPO)).toEqual(expect.arrayContaining(['docker', 'podman']));
    // The podman-built image, pulled by the other engine, runs and answers.
    await docker.docker(['pull', image]);
    expect(await runAndAsk(docker, image)).toBe('v9');
    // Without the insecure entry the same push is refused: the registry speaks plain HTTP.
    const strict = path.join(root, 'registries-strict.conf');
    writeFileSync(strict, podmanFiles(root, [])['registries.conf'] ?? '');
    const refused = await exec('podman', ['push', image], {
      env: { ...process.env, ...podman.env, CONTAINERS_REGISTRIES_CONF: strict },
    }).then(
      () => '',
      (e: { stderr?: string }) => e.stderr ?? 'failed',
    );
    expect(refused).toMatch(/HTTP response to HTTPS client/);
  }, 600_000);

  it('stop() leaves no process, mount, bridge, iptables rule, cgroup or file outside its directory', async () => {
    const marks = [...docker.marks, ...podman.marks, root];
    const bridge = docker.bridge.name;
    const cgroupParent = docker.cgroupParent;
    await docker.stop();
    await podman.stop();
    await registry.stop();
    expect(processesMentioning(marks)).toEqual([]);
    expect(mountsUnder([root])).toEqual([]);
    expect(leftoverCgroups(cgroupParent)).toEqual([]);
    const after = hostState();
    expect(after.links).not.toContain(bridge);
    expect(after).toEqual(before);
    expect(existsSync('/etc/docker/key.json')).toBe(keyJsonBefore);
    expect(existsSync('/var/lib/containers')).toBe(varLibContainersBefore);
  }, 120_000);
});
