// The real container engines and registry the live tier builds with: Debian's dockerd 20.10 (through the machine's
// docker CLI) and podman 4.3 build flask/ unchanged FROM the locally made base image, push to a real
// docker-registry on loopback, and the image comes back and serves /version. Afterwards nothing is left: no
// process, mount, bridge, iptables rule or cgroup. Skipped, with the reason printed, when not root or a tool is
// missing (test/stack/engines/setup.sh installs them) — never counted as passed.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enginesUnavailable } from './available.js';
import { FLASK_CONTEXT } from './baseImage.js';
import { type Docker, startDocker } from './docker.js';
import { hostState, leftoverCgroups, mountsUnder, processesMentioning } from './hostState.js';
import { LEASE_DIR, sweepStaleEngines } from './leases.js';
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

/** iptables/ip6tables rules that name the engine's bridge or subnet. */
function ourRules(iptables: string, d: Docker): string[] {
  return iptables.split('\n').filter((l) => l.includes(d.bridge.name) || l.includes(d.bridge.subnet));
}

/** The chains dockerd creates when it manages iptables (it must not here). */
function dockerChains(iptables: string): string[] {
  return iptables.split('\n').filter((l) => /^-N DOCKER/.test(l));
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
    // A container ran with a published port, and still no firewall rule names the engine's bridge or subnet.
    expect(ourRules(hostState().iptables, docker)).toEqual([]);
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

  it('a run killed before its stop(): the next start sweeps the dockerd, proxy, bridge and cgroups it left', async () => {
    const dir = path.join(root, 'orphan');
    const orphan = await startDocker({ dir, importBase: false });
    expect(processesMentioning([dir]).length).toBeGreaterThan(1); // dockerd, its containerd, the proxy
    // Its test process "died": the lease now names an owner that has exited.
    const dead = spawnSync('true').pid;
    let leased = 0;
    for (const f of readdirSync(LEASE_DIR)) {
      const file = path.join(LEASE_DIR, f);
      const lease = JSON.parse(readFileSync(file, 'utf8'));
      if (lease.dir === dir) {
        writeFileSync(file, JSON.stringify({ ...lease, owner: dead }));
        leased++;
      }
    }
    expect(leased).toBe(1);
    const swept = await sweepStaleEngines();
    expect(swept.map((l) => l.dir)).toEqual([dir]);
    expect(processesMentioning([dir])).toEqual([]);
    expect(hostState().links).not.toContain(orphan.bridge.name);
    expect(leftoverCgroups(orphan.cgroupParent)).toEqual([]);
    expect(mountsUnder([dir])).toEqual([]);
    await orphan.stop(); // nothing left to do; must not fail
  }, 120_000);

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
    // Other runs (a second test file, the node tier) may change the host meanwhile, so compare only what this engine
    // could have made: rules naming its bridge or subnet, or the chains dockerd makes when allowed to.
    expect(ourRules(after.iptables, docker)).toEqual([]);
    expect(dockerChains(after.iptables)).toEqual(dockerChains(before?.iptables ?? ''));
    expect(existsSync('/etc/docker/key.json')).toBe(keyJsonBefore);
    // podman's blob-info cache is the one thing root's podman writes there whatever it is told; stop() removes it
    // when it made it, but a concurrent run may have made it again, so: nothing else, ever.
    if (!varLibContainersBefore) {
      const there = existsSync('/var/lib/containers')
        ? readdirSync('/var/lib/containers', { recursive: true }).map(String)
        : [];
      expect(
        there.filter((f) => !['cache', path.join('cache', 'blob-info-cache-v1.boltdb')].includes(f)),
      ).toEqual([]);
    }
  }, 120_000);
});
