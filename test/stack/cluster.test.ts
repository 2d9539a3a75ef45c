// The real single-node cluster (cluster.ts): node Ready, a Deployment of a locally made static HTTP server Ready on
// its readiness probe, a ClusterIP Service answering from the host through kube-proxy, exec and logs through the
// API server → kubelet, and stop() leaving no process, mount, iptables chain, bridge or changed sysctl behind.
// Timings and RSS are printed, never asserted. Skipped, with the reason printed, when not root or no binaries.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  type Cluster,
  ensureNodeBinaries,
  HTTPD_IMAGE,
  nodeSkipReason,
  PAUSE_IMAGE,
  startCluster,
} from './cluster.js';
import { type Registry, startRegistry } from './engines/registry.js';
import { comm, kubeChains, startTime } from './node/host.js';
import { buildStaticImage } from './node/image.js';

const execFileP = promisify(execFile);
const bins = nodeSkipReason() ? undefined : await ensureNodeBinaries();
const skipReason = nodeSkipReason() ?? (bins && 'skip' in bins ? bins.skip : undefined);
if (skipReason)
  process.stderr.write(`\n*** SKIPPED: real node tests (test/stack/cluster.test.ts): ${skipReason}\n\n`);
const report = (line: string) => process.stderr.write(`[stack/node] ${line}\n`);

// Host sysctls kubelet, kube-proxy or the CNI bridge plugin would write: they must read the same after stop().
const WATCHED = [
  'kernel/panic_on_oops',
  'kernel/panic',
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
  'net/ipv4/ip_forward',
  'net/ipv4/conf/all/route_localnet',
  'net/netfilter/nf_conntrack_max',
  'net/netfilter/nf_conntrack_tcp_timeout_established',
  'net/netfilter/nf_conntrack_tcp_timeout_close_wait',
  'net/bridge/bridge-nf-call-iptables',
];
const readSysctls = () =>
  Object.fromEntries(
    WATCHED.map((k) => {
      try {
        return [k, readFileSync(`/proc/sys/${k}`, 'utf8').trim()];
      } catch {
        return [k, '(none)'];
      }
    }),
  );

describe.skipIf(!!skipReason)('real single-node cluster', () => {
  let cluster: Cluster;
  let before: Record<string, string>;
  let registry: Registry | undefined;
  let registryDir = '';
  const kubectl = async (args: string[], input?: string) => {
    const p = execFileP('kubectl', ['--kubeconfig', cluster.adminKubeconfig, ...args], { timeout: 60_000 });
    if (input !== undefined) {
      p.child.stdin?.end(input);
    }
    return (await p).stdout;
  };

  beforeAll(async () => {
    before = readSysctls();
    registryDir = await mkdtemp(path.join(tmpdir(), 'wizard-node-registry-'));
    registry = await startRegistry({ dir: registryDir });
    const t0 = Date.now();
    cluster = await startCluster({ registryMirrors: { [registry.host]: `http://${registry.host}` } });
    report(`cluster up in ${Date.now() - t0} ms; node Ready ${cluster.nodeReadyMs} ms after kubelet start`);
  }, 300_000);

  afterAll(async () => {
    await cluster?.stop();
    await registry?.stop();
    if (registryDir) await rm(registryDir, { recursive: true, force: true });
  }, 120_000);

  it('shows kubelet its sysctl values inside the mount namespace while the host keeps its own', () => {
    const inNs = spawnSync(
      cluster.nsExec[0] as string,
      [...cluster.nsExec.slice(1), 'cat', '/proc/sys/kernel/panic_on_oops', '/proc/sys/vm/overcommit_memory'],
      { encoding: 'utf8' },
    );
    expect(inNs.stdout.split('\n').slice(0, 2)).toEqual(['1', '1']);
    expect(readSysctls()).toEqual(before);
  });

  it('runs a Deployment Ready on its readiness probe, a ClusterIP Service from the host, exec and logs', async () => {
    const tar = await buildStaticImage({ source: 'httpd', name: HTTPD_IMAGE, workDir: cluster.dir });
    await cluster.importImage(tar);
    const manifest = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'hello', namespace: 'default' },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: 'hello' } },
            template: {
              metadata: { labels: { app: 'hello' } },
              spec: {
                containers: [
                  {
                    name: 'httpd',
                    image: HTTPD_IMAGE,
                    imagePullPolicy: 'Never',
                    args: ['8080'],
                    env: [{ name: 'MESSAGE', value: 'from-pod' }],
                    ports: [{ containerPort: 8080 }],
                    readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 },
                  },
                ],
              },
            },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'hello', namespace: 'default' },
          spec: {
            selector: { app: 'hello' },
            ports: [{ port: 80, targetPort: 8080 }],
          },
        },
      ],
    };
    const file = `${cluster.dir}/hello.json`;
    writeFileSync(file, JSON.stringify(manifest));
    const t0 = Date.now();
    await kubectl(['apply', '-f', file]);
    await kubectl(['rollout', 'status', 'deployment/hello', '--timeout=120s']);
    report(`Deployment (2 pods) Ready ${Date.now() - t0} ms after apply`);
    const ip = (await kubectl(['get', 'service', 'hello', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    let body = '';
    const t1 = Date.now();
    for (let i = 0; i < 100 && !body.startsWith('from-pod'); i++) {
      const r = spawnSync('curl', ['--silent', '--noproxy', '*', '--max-time', '2', `http://${ip}/`], {
        encoding: 'utf8',
      });
      body = r.stdout;
      if (!body.startsWith('from-pod')) await new Promise((r) => setTimeout(r, 200));
    }
    report(`ClusterIP ${ip} answered ${Date.now() - t1} ms after rollout: ${body.trim()}`);
    expect(body).toMatch(/^from-pod hello-/);
    const pod = (
      await kubectl(['get', 'pods', '-l', 'app=hello', '-o', 'jsonpath={.items[0].metadata.name}'])
    ).trim();
    expect((await kubectl(['exec', pod, '--', '/httpd', 'echo', 'exec', 'works'])).trim()).toBe('exec works');
    expect(await kubectl(['logs', pod])).toMatch(/listening on 8080/);
    const rss = cluster.pids().reduce((sum, pid) => {
      try {
        return sum + Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      } catch {
        return sum;
      }
    }, 0);
    report(`node RSS with 2 pods: ${(rss / 1024).toFixed(0)} MiB over ${cluster.pids().length} processes`);
  }, 240_000);

  it('pulls an image pushed to the plain-HTTP loopback registry (the mirror) for a pod', async () => {
    const ref = registry?.image('wizard/httpd', 'pushed') as string;
    await cluster.ctr(['images', 'tag', HTTPD_IMAGE, ref]);
    await cluster.ctr(['images', 'push', '--plain-http', ref]);
    await cluster.ctr(['images', 'rm', ref]);
    expect(await registry?.tags('wizard/httpd')).toEqual(['pushed']);
    const t0 = Date.now();
    await kubectl([
      'run',
      'pulled',
      `--image=${ref}`,
      '--image-pull-policy=Always',
      '--restart=Never',
      '--',
      '8080',
    ]);
    await kubectl(['wait', '--for=condition=Ready', 'pod/pulled', '--timeout=90s']);
    report(`pod from ${ref} Ready ${Date.now() - t0} ms after create (pulled from the loopback registry)`);
    const events = await kubectl([
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=pulled',
      '-o',
      'jsonpath={.items[*].message}',
    ]);
    expect(events).toMatch(/Successfully pulled image/);
  }, 120_000);

  it('stop() leaves nothing behind', async () => {
    const pids = cluster.pids();
    const dir = cluster.dir;
    await cluster.stop();
    // A zombie (a direct child node has not reaped yet) is dead: startTime() reports only running processes.
    const alive = pids.filter((p) => startTime(p) !== undefined).map((p) => `${p} ${comm(p)}`);
    expect(alive).toEqual([]);
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .filter((l) => /kubelet|containerd|netns\/cni|wizard-node/.test(l) || l.includes(dir));
    expect(mounts).toEqual([]);
    expect(kubeChains()).toEqual([]);
    expect(spawnSync('ip', ['link', 'show', 'wiznode0']).status).not.toBe(0);
    expect(spawnSync('iptables', ['-S', 'WIZNODE-FORWARD']).status).not.toBe(0);
    expect(readSysctls()).toEqual(before);
  }, 120_000);
});

describe.skipIf(!!skipReason)('node start failures and crashes', () => {
  it('cleans up after a start that fails half-way (kubelet cannot run)', async () => {
    const b = bins as Exclude<typeof bins, { skip: string } | undefined>;
    await expect(startCluster({ binaries: { ...b, kubelet: '/bin/false' } })).rejects.toThrow(
      /kubelet exited/,
    );
    expect(kubeChains()).toEqual([]);
    expect(spawnSync('ip', ['link', 'show', 'wiznode0']).status).not.toBe(0);
    expect(spawnSync('pgrep', ['-f', 'wizard-node-']).stdout?.toString() ?? '').toBe('');
  }, 180_000);

  it('runs pods with the pod-GC controller off (it deletes Pods bound to Nodes it does not know)', async () => {
    const c = await startCluster({ disableControllers: ['podgc'] });
    try {
      const k = (args: string[]) =>
        execFileP('kubectl', ['--kubeconfig', c.adminKubeconfig, ...args], { timeout: 100_000 });
      await k(['run', 'p', `--image=${PAUSE_IMAGE}`, '--image-pull-policy=Never', '--restart=Never']);
      await k(['wait', '--for=condition=Ready', 'pod/p', '--timeout=90s']);
      expect(readFileSync(c.logs['kube-controller-manager'] as string, 'utf8')).not.toMatch(
        /unknown controller|not a known controller/i,
      );
    } finally {
      await c.stop();
    }
  }, 180_000);

  it('SIGTERM to the process that started the node tears the node down (exit 130)', async () => {
    const here = path.dirname(new URL(import.meta.url).pathname);
    const out = path.join(here, 'node', `.hold-${process.pid}.mjs`);
    onTestFinished(() => rm(out, { force: true }));
    await execFileP(path.join(here, '../../node_modules/.bin/esbuild'), [
      path.join(here, 'node/hold.ts'),
      '--bundle',
      '--platform=node',
      '--format=esm',
      `--outfile=${out}`,
      '--log-level=warning',
    ]);
    const child = spawn(process.execPath, [out], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, WIZARD_NODE_BINARIES: JSON.stringify(bins) },
    });
    const ready = await new Promise<{ dir: string; pids: number[] }>((resolve, reject) => {
      let buf = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        buf += d;
        const m = /^READY (.*)$/m.exec(buf);
        if (m) resolve(JSON.parse(m[1] as string));
      });
      child.once('exit', (code) => reject(new Error(`hold.mjs exited ${code} before READY`)));
    });
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(130);
    expect(
      ready.pids.filter((p) => startTime(p) !== undefined && p !== child.pid).map((p) => `${p} ${comm(p)}`),
    ).toEqual([]);
    expect(kubeChains()).toEqual([]);
    expect(spawnSync('ip', ['link', 'show', 'wiznode0']).status).not.toBe(0);
    expect(readFileSync('/proc/mounts', 'utf8')).not.toContain(ready.dir);
  }, 180_000);

  it('a start after a run whose owner died without stop() cleans that run up first', async () => {
    const first = await startCluster();
    const firstPids = first.pids();
    // Make the state file's owner a process that is gone, as if the test process had been SIGKILLed.
    const dead = spawnSync('true');
    expect(dead.status).toBe(0);
    const stateFile = '/run/wizard-node/state.json';
    const st = JSON.parse(readFileSync(stateFile, 'utf8'));
    st.owner = { pid: dead.pid, start: 'gone', name: 'dead' };
    writeFileSync(stateFile, JSON.stringify(st));
    const second = await startCluster();
    try {
      expect(firstPids.filter((p) => startTime(p) !== undefined && !second.pids().includes(p))).toEqual([]);
      expect(first.dir).not.toBe(second.dir);
    } finally {
      await second.stop();
    }
    expect(kubeChains()).toEqual([]);
    expect(spawnSync('ip', ['link', 'show', 'wiznode0']).status).not.toBe(0);
  }, 300_000);
});
