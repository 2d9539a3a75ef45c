// The real single-node cluster (cluster.ts): node Ready, a Deployment of a locally made static HTTP server Ready on
// its readiness probe, a ClusterIP Service answering from the host through kube-proxy, exec and logs through the
// API server → kubelet, and stop() leaving no process, mount, iptables chain, bridge or changed sysctl behind.
// Timings and RSS are printed, never asserted. Skipped, with the reason printed, when not root or no binaries.
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, ensureNodeBinaries, HTTPD_IMAGE, nodeSkipReason, startCluster } from './cluster.js';
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
  const kubectl = async (args: string[], input?: string) => {
    const p = execFileP('kubectl', ['--kubeconfig', cluster.adminKubeconfig, ...args], { timeout: 60_000 });
    if (input !== undefined) {
      p.child.stdin?.end(input);
    }
    return (await p).stdout;
  };

  beforeAll(async () => {
    before = readSysctls();
    const t0 = Date.now();
    cluster = await startCluster();
    report(`cluster up in ${Date.now() - t0} ms; node Ready ${cluster.nodeReadyMs} ms after kubelet start`);
  }, 300_000);

  afterAll(async () => {
    await cluster?.stop();
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
