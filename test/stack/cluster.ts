/**
 * A real single-node Kubernetes cluster for the stack tier: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler, containerd (CRI, runc), kubelet and kube-proxy (iptables), pods on a bridge of the tier's own.
 *
 * Safety (node/README.md says why each is needed): containerd, its shims, kubelet and kube-proxy run in a private
 * mount namespace whose /proc/sys masks show kubelet the sysctl values it checks (the host's stay untouched), and
 * in which every mount they make vanishes with the namespace. The node's address is the bridge's own; the Service
 * range is routed onto the bridge; a FORWARD guard drops whatever a pod sends off the bridge; no masquerading, no
 * DNS. stop() (and an 'exit' handler, and the next start after a crash) undoes all of it, by the state file in
 * /run/wizard-node (node/host.ts).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  closeSync,
  type Dirent,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureBinaries } from '../control-plane/controlPlane.js';
import {
  ABSORBED_SYSCTLS,
  cniConflist,
  containerdToml,
  hostsToml,
  KUBELET_SYSCTLS,
  kubeconfigYaml,
  kubeletConfig,
  kubeProxyConfig,
  type NodeLayout,
} from './node/config.js';
import {
  addForwardGuard,
  cgroupMounts,
  clearState,
  createBridge,
  kubeChains,
  linkExists,
  makeCgroupRoot,
  mountNsOf,
  type NodeState,
  type ProcRef,
  procsInMountNs,
  readState,
  readSysctl,
  run,
  startTime,
  teardown,
  writeState,
  writeSysctl,
} from './node/host.js';
import { buildStaticImage, HTTPD_IMAGE, PAUSE_IMAGE } from './node/image.js';
import { makeNodePki } from './node/pki.js';

const execFileP = promisify(execFile);

export { HTTPD_IMAGE, PAUSE_IMAGE };

export interface NodeBinaries {
  apiserver: string;
  etcd: string;
  kubelet: string;
  controllerManager: string;
  scheduler: string;
  proxy: string;
}

export interface ClusterOptions {
  binaries?: NodeBinaries;
  /** pod network, a /24 or larger; default 10.217.0.0/24 (the node IP is its first address) */
  podCIDR?: string;
  /** default 10.218.0.0/20 */
  serviceCIDR?: string;
  nodeName?: string;
  /** containerd registry mirrors: host → endpoint, e.g. {'127.0.0.1:5000': 'http://127.0.0.1:5000'} */
  registryMirrors?: Record<string, string>;
  /**
   * Interfaces pods may send to through the host (e.g. a gateway netns's host-side veth): turns ip_forward on
   * (restored by stop()) and lets those through the FORWARD guard. Default none: ip_forward is left as it is.
   */
  forwardTo?: string[];
  /** extra routes (CIDRs) in every pod, via the node IP — e.g. a gateway netns's /30 */
  podRoutes?: string[];
  /**
   * kube-controller-manager controllers to switch off, e.g. ['podgc'] (it deletes Pods bound to a node name no Node
   * object has). Switching 'nodelifecycle' off leaves the node's not-ready taint on: pods never schedule.
   */
  disableControllers?: string[];
  /** keep the directory (logs, configs) after stop(); default: env WIZARD_NODE_KEEP=1 */
  keepDir?: boolean;
  /** node Ready timeout, default 120 s */
  timeoutMs?: number;
}

export interface Cluster {
  adminKubeconfig: string;
  kubeconfigText: string;
  server: string;
  nodeName: string;
  nodeIP: string;
  podCIDR: string;
  serviceCIDR: string;
  bridge: string;
  dir: string;
  logs: Record<string, string>;
  /** milliseconds from kubelet start to node Ready */
  nodeReadyMs: number;
  /** imports an OCI or docker archive into containerd's k8s.io namespace (the images pods can use) */
  importImage(tarPath: string): Promise<void>;
  /** runs `ctr --namespace k8s.io ARGS` against the node's containerd (inside its mount namespace); returns stdout */
  ctr(args: string[]): Promise<string>;
  /** PIDs of every process of the node now (for RSS) */
  pids(): number[];
  /** argv prefix that runs a program in the node's private mount namespace (sees its masks) */
  nsExec: string[];
  stop(): Promise<void>;
}

/** Resolves the six binaries through test/control-plane/build.sh (or `{ skip }`). */
export async function ensureNodeBinaries(): Promise<NodeBinaries | { skip: string }> {
  const b = await ensureBinaries();
  if ('skip' in b) return b;
  const dir = path.dirname(b.apiserver);
  const nb = {
    apiserver: b.apiserver,
    etcd: b.etcd,
    kubelet: path.join(dir, 'kubelet'),
    controllerManager: path.join(dir, 'kube-controller-manager'),
    scheduler: path.join(dir, 'kube-scheduler'),
    proxy: path.join(dir, 'kube-proxy'),
  };
  for (const f of Object.values(nb))
    if (!existsSync(f)) return { skip: `node binary missing: ${f} (run test/control-plane/build.sh)` };
  return nb;
}

/** Why the node cannot run here, or undefined. */
export function nodeSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: a real kubelet, containerd and a bridge need root';
  for (const t of ['containerd', 'runc', 'ctr', 'unshare', 'nsenter', 'iptables', 'ip', 'gcc', 'openssl']) {
    const r = spawnSyncQuiet('sh', ['-c', 'command -v "$1"', 'sh', t]);
    if (!r) return `${t} not found (run test/stack/node/setup.sh)`;
  }
  if (!existsSync('/usr/lib/cni/bridge'))
    return 'CNI plugins missing in /usr/lib/cni (run test/stack/node/setup.sh)';
  return undefined;
}

function spawnSyncQuiet(cmd: string, args: string[]): boolean {
  try {
    run(cmd, args);
    return true;
  } catch {
    return false;
  }
}

async function freePorts(n: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      servers.push(srv);
      await new Promise<void>((res, rej) => {
        srv.once('error', rej);
        srv.listen(0, host, () => res());
      });
      ports.push((srv.address() as net.AddressInfo).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((res) => s.close(() => res()))));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tailFile(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function ipAt(cidr: string, n: number): string {
  const [a, b, c, d] = (cidr.split('/')[0] as string).split('.').map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const v = ((a << 24) | (b << 16) | (c << 8) | d) + n;
  return [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

// One live node per process; the exit handler tears it down when a test process dies without stop().
let live: NodeState | undefined;
let hooks = false;
function installHooks(): void {
  if (hooks) return;
  hooks = true;
  process.once('exit', () => {
    if (live) {
      teardown(live);
      clearState();
    }
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      if (live) {
        teardown(live);
        clearState();
        live = undefined;
      }
      process.exit(130);
    });
  }
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const skip = nodeSkipReason();
  if (skip) throw new Error(skip);
  let bins = opts.binaries;
  if (!bins) {
    const b = await ensureNodeBinaries();
    if ('skip' in b) throw new Error(b.skip);
    bins = b;
  }
  const podCIDR = opts.podCIDR ?? '10.217.0.0/24';
  const serviceCIDR = opts.serviceCIDR ?? '10.218.0.0/20';
  const nodeIP = ipAt(podCIDR, 1);
  const nodeName = opts.nodeName ?? 'wizard-node';
  const keepDir = opts.keepDir ?? process.env.WIZARD_NODE_KEEP === '1';

  // One node tier per machine: clean up after a run that died, refuse a live one.
  const prev = readState();
  if (prev) {
    if (startTime(prev.owner.pid) === prev.owner.start) {
      throw new Error(`another node tier is running (pid ${prev.owner.pid}, ${prev.dir}); stop it first`);
    }
    const left = teardown(prev);
    clearState();
    if (left.length) throw new Error(`could not clean up after an earlier node run: ${left.join('; ')}`);
  }
  const chains = kubeChains();
  if (chains.length)
    throw new Error(
      `the host already has KUBE-* iptables chains (${chains.slice(0, 3).join(', ')}…): another Kubernetes node runs here`,
    );

  const dir = await mkdtemp('/tmp/wizard-node-');
  const layout: NodeLayout = {
    dir,
    nodeName,
    nodeIP,
    podCIDR,
    serviceCIDR,
    bridge: 'wiznode0',
    cgroupRoot: '/wiznode',
    containerdSock: path.join(dir, 'containerd', 'containerd.sock'),
    pauseImage: PAUSE_IMAGE,
  };
  if (linkExists(layout.bridge)) throw new Error(`a link named ${layout.bridge} already exists`);
  const self = { pid: process.pid, start: startTime(process.pid) as string, name: 'node' };
  const state: NodeState = {
    owner: self,
    dir,
    keepDir,
    bridge: layout.bridge,
    forwardChain: 'WIZNODE-FORWARD',
    cgroupRoot: layout.cgroupRoot,
    procs: [],
    createdRunNetns: false,
    kubeProxy: bins.proxy,
  };
  writeState(state);
  live = state;
  installHooks();
  const logs: Record<string, string> = {};
  const children = new Map<string, ChildProcess>();
  const d = (...p: string[]) => path.join(dir, ...p);

  const track = (name: string, child: ChildProcess) => {
    const pid = child.pid as number;
    const start = startTime(pid);
    if (start) state.procs.push({ pid, start, name });
    children.set(name, child);
    writeState(state);
  };
  const startProc = (name: string, argv: string[], inNs: boolean) => {
    const log = d('logs', `${name}.log`);
    logs[name] = log;
    const fd = openSync(log, 'a');
    const full = inNs ? ['nsenter', `--mount=/proc/${holderPid}/ns/mnt`, '--', ...argv] : argv;
    const child = spawn(full[0] as string, full.slice(1), {
      cwd: dir,
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    closeSync(fd);
    child.unref();
    track(name, child);
    return child;
  };
  const exited = (name: string) => {
    const c = children.get(name);
    return c ? c.exitCode !== null || c.signalCode !== null : false;
  };
  const waitFor = async (what: string, proc: string, timeoutMs: number, check: () => Promise<boolean>) => {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      if (exited(proc))
        throw new Error(
          `${what}: ${proc} exited. Last lines of ${logs[proc]}:\n${tailFile(logs[proc] as string)}`,
        );
      try {
        if (await check()) return;
      } catch (e) {
        last = (e as Error).message;
      }
      if (Date.now() > deadline)
        throw new Error(
          `${what}: not ready after ${timeoutMs} ms${last ? ` (${last})` : ''}. Last lines of ${logs[proc]}:\n${tailFile(logs[proc] as string)}`,
        );
      await sleep(200);
    }
  };
  let holderPid = 0;

  try {
    for (const sub of [
      'logs',
      'pki',
      'containerd',
      'cni/net.d',
      'cni/ipam',
      'certs.d',
      'kubelet',
      'varlog',
      'netns',
      'sysctl',
    ])
      mkdirSync(d(sub), { recursive: true });

    // Network first: the node IP must exist before anything binds to it.
    createBridge({ bridge: layout.bridge, nodeIP, podCIDR, serviceCIDR });
    const forwardTo = opts.forwardTo ?? [];
    addForwardGuard(state.forwardChain, layout.bridge, forwardTo);
    if (forwardTo.length) {
      state.ipForwardBefore = readSysctl('net/ipv4/ip_forward');
      writeState(state);
      writeSysctl('net/ipv4/ip_forward', '1');
    }
    makeCgroupRoot(layout.cgroupRoot);

    // The private mount namespace, held open by a sleeping process, with its masks.
    if (!existsSync('/run/netns')) {
      mkdirSync('/run/netns');
      state.createdRunNetns = true;
    }
    const holder = spawn('unshare', ['--mount', '--propagation', 'private', '--', 'sleep', 'infinity'], {
      stdio: 'ignore',
      detached: true,
    });
    holder.unref();
    holderPid = holder.pid as number;
    track('mount-ns', holder);
    const hostNs = mountNsOf(process.pid);
    for (let i = 0; i < 100 && (mountNsOf(holderPid) ?? hostNs) === hostNs; i++) await sleep(20);
    state.mountNs = mountNsOf(holderPid);
    if (!state.mountNs || state.mountNs === hostNs)
      throw new Error('unshare --mount did not make a mount namespace');
    writeState(state);
    const nsMount = (src: string, dst: string) =>
      run('nsenter', [`--mount=/proc/${holderPid}/ns/mnt`, '--', 'mount', '--bind', src, dst]);
    for (const [key, value] of Object.entries(KUBELET_SYSCTLS)) {
      const f = d('sysctl', key.replaceAll('/', '.'));
      writeFileSync(f, `${value}\n`);
      nsMount(f, `/proc/sys/${key}`);
    }
    for (const key of ABSORBED_SYSCTLS) {
      if (!existsSync(`/proc/sys/${key}`)) continue;
      const f = d('sysctl', key.replaceAll('/', '.'));
      writeFileSync(f, `${readSysctl(key)}\n`);
      nsMount(f, `/proc/sys/${key}`);
    }
    // kubelet/containerd write pod logs to /var/log/pods and pod netns to /run/netns, fixed paths.
    nsMount(d('varlog'), '/var/log');
    nsMount(d('netns'), '/run/netns');

    const pki = await makeNodePki(d('pki'), { nodeName, nodeIP, kubernetesServiceIP: ipAt(serviceCIDR, 1) });
    const [apiPort, etcdClient, etcdPeer, kubeletHealthz, cmPort, schedPort, kpHealthz, kpMetrics] =
      (await freePorts(8)) as number[] as [number, number, number, number, number, number, number, number];
    const [kubeletPort] = (await freePorts(1, nodeIP)) as [number];
    const server = `https://127.0.0.1:${apiPort}`;
    const b64 = async (f: string) => (await readFile(f)).toString('base64');
    const kubeconfigText = kubeconfigYaml({
      server,
      caData: await b64(pki.ca),
      certData: await b64(pki.adminCert),
      keyData: await b64(pki.adminKey),
      name: 'wizard-node-admin',
    });
    const adminKubeconfig = d('admin.kubeconfig');
    writeFileSync(adminKubeconfig, kubeconfigText, { mode: 0o600 });
    const tls = {
      ca: await readFile(pki.ca),
      cert: await readFile(pki.adminCert),
      key: await readFile(pki.adminKey),
    };
    const api = (p: string) => httpsGet(`${server}${p}`, tls);

    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    startProc(
      'etcd',
      [
        bins.etcd,
        '--name=node',
        `--data-dir=${d('etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=node=http://127.0.0.1:${etcdPeer}`,
        '--unsafe-no-fsync=true',
        '--log-level=warn',
      ],
      false,
    );
    startProc(
      'kube-apiserver',
      [
        bins.apiserver,
        `--etcd-servers=${etcdUrl}`,
        `--cert-dir=${d('pki', 'apiserver')}`,
        `--secure-port=${apiPort}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--tls-cert-file=${pki.apiserverCert}`,
        `--tls-private-key-file=${pki.apiserverKey}`,
        `--client-ca-file=${pki.ca}`,
        '--authorization-mode=Node,RBAC',
        `--service-account-issuer=${server}/`,
        `--service-account-key-file=${pki.saPub}`,
        `--service-account-signing-key-file=${pki.saKey}`,
        `--service-cluster-ip-range=${serviceCIDR}`,
        '--allow-privileged=true',
        '--endpoint-reconciler-type=none',
        `--kubelet-client-certificate=${pki.adminCert}`,
        `--kubelet-client-key=${pki.adminKey}`,
        `--kubelet-certificate-authority=${pki.ca}`,
        '--kubelet-preferred-address-types=InternalIP',
        '--profiling=false',
        '--v=1',
      ],
      false,
    );
    await waitFor(
      'kube-apiserver /readyz',
      'kube-apiserver',
      90_000,
      async () => (await api('/readyz')).status === 200,
    );

    startProc(
      'kube-controller-manager',
      [
        bins.controllerManager,
        `--kubeconfig=${adminKubeconfig}`,
        `--authentication-kubeconfig=${adminKubeconfig}`,
        `--authorization-kubeconfig=${adminKubeconfig}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${cmPort}`,
        '--leader-elect=false',
        `--service-account-private-key-file=${pki.saKey}`,
        `--root-ca-file=${pki.ca}`,
        '--use-service-account-credentials=false',
        `--service-cluster-ip-range=${serviceCIDR}`,
        `--controllers=${['*', '-nodeipam', ...(opts.disableControllers ?? []).map((c) => `-${c}`)].join(',')}`,
        '--profiling=false',
        '--v=1',
      ],
      false,
    );
    startProc(
      'kube-scheduler',
      [
        bins.scheduler,
        `--kubeconfig=${adminKubeconfig}`,
        `--authentication-kubeconfig=${adminKubeconfig}`,
        `--authorization-kubeconfig=${adminKubeconfig}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${schedPort}`,
        '--leader-elect=false',
        '--profiling=false',
        '--v=1',
      ],
      false,
    );

    // containerd + the locally made pause image.
    const mirrors = opts.registryMirrors ?? {};
    for (const [host, endpoint] of Object.entries(mirrors)) {
      mkdirSync(d('certs.d', host), { recursive: true });
      writeFileSync(d('certs.d', host, 'hosts.toml'), hostsToml(endpoint));
    }
    writeFileSync(d('containerd', 'config.toml'), containerdToml(layout, d('certs.d')));
    writeFileSync(d('cni', 'net.d', '10-wiznode.conflist'), cniConflist(layout, opts.podRoutes ?? []));
    startProc('containerd', ['containerd', '--config', d('containerd', 'config.toml')], true);
    const ctr = (args: string[]) =>
      execFileP('nsenter', [
        `--mount=/proc/${holderPid}/ns/mnt`,
        '--',
        'ctr',
        '--address',
        layout.containerdSock,
        '--namespace',
        'k8s.io',
        ...args,
      ]);
    await waitFor('containerd', 'containerd', 30_000, async () => {
      await ctr(['version']);
      return true;
    });
    const importImage = async (tar: string) => {
      try {
        await ctr(['images', 'import', '--no-unpack=false', tar]);
      } catch (e) {
        const err = e as { stderr?: string; message: string };
        throw new Error(`ctr images import ${tar} failed: ${(err.stderr ?? err.message).trim()}`);
      }
    };
    await importImage(await buildStaticImage({ source: 'pause', name: PAUSE_IMAGE, workDir: dir }));

    // kubelet
    writeFileSync(
      d('kubelet', 'config.json'),
      kubeletConfig(layout, {
        port: kubeletPort,
        healthzPort: kubeletHealthz,
        ca: pki.ca,
        cert: pki.kubeletCert,
        key: pki.kubeletKey,
      }),
    );
    const kubeletStart = Date.now();
    startProc(
      'kubelet',
      [
        bins.kubelet,
        `--config=${d('kubelet', 'config.json')}`,
        `--kubeconfig=${adminKubeconfig}`,
        `--root-dir=${d('kubelet', 'root')}`,
        `--node-ip=${nodeIP}`,
        `--hostname-override=${nodeName}`,
        '--v=1',
      ],
      true,
    );
    await waitFor('node Ready', 'kubelet', opts.timeoutMs ?? 120_000, async () => {
      const r = await api(`/api/v1/nodes/${nodeName}`);
      if (r.status !== 200) return false;
      const node = JSON.parse(r.body) as { status?: { conditions?: { type: string; status: string }[] } };
      return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    });
    const nodeReadyMs = Date.now() - kubeletStart;

    writeFileSync(
      d('kube-proxy.json'),
      kubeProxyConfig(layout, {
        kubeconfig: adminKubeconfig,
        healthzPort: kpHealthz,
        metricsPort: kpMetrics,
      }),
    );
    startProc('kube-proxy', [bins.proxy, `--config=${d('kube-proxy.json')}`, '--v=1'], true);
    await waitFor('kube-proxy healthz', 'kube-proxy', 30_000, async () => {
      const r = await httpGet(`http://127.0.0.1:${kpHealthz}/healthz`);
      return r.status === 200;
    });

    let stopped = false;
    return {
      adminKubeconfig,
      kubeconfigText,
      server,
      nodeName,
      nodeIP,
      podCIDR,
      serviceCIDR,
      bridge: layout.bridge,
      dir,
      logs,
      nodeReadyMs,
      importImage,
      ctr: async (args: string[]) => (await ctr(args)).stdout,
      nsExec: ['nsenter', `--mount=/proc/${holderPid}/ns/mnt`, '--'],
      pids() {
        const out = new Set<number>();
        for (const p of state.procs) if (startTime(p.pid) === p.start) out.add(p.pid);
        for (const p of state.mountNs ? procsInMountNs(state.mountNs) : []) out.add(p.pid);
        for (const pid of cgroupPids(layout.cgroupRoot)) out.add(pid);
        return [...out];
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        // Graceful first for kubelet and containerd (they then tear pod sandboxes down themselves), then teardown.
        for (const name of ['kube-proxy', 'kubelet', 'kube-scheduler', 'kube-controller-manager'])
          children.get(name)?.kill('SIGTERM');
        await sleep(300);
        children.get('containerd')?.kill('SIGTERM');
        await sleep(300);
        const problems = teardown(state);
        clearState();
        live = undefined;
        if (problems.length) throw new Error(`node stop left: ${problems.join('; ')}`);
      },
    };
  } catch (e) {
    const problems = teardown(state);
    clearState();
    live = undefined;
    if (problems.length) (e as Error).message += `\n(and cleanup left: ${problems.join('; ')})`;
    throw e;
  }
}

function cgroupPids(root: string): number[] {
  const out: number[] = [];
  const mem = cgroupMounts().find((m) => m.endsWith('/memory'));
  if (!mem) return out;
  const walk = (d: string) => {
    try {
      for (const l of readFileSync(path.join(d, 'cgroup.procs'), 'utf8').split('\n'))
        if (l) out.push(Number(l));
      for (const e of readdirSync(d, { withFileTypes: true }) as Dirent[])
        if (e.isDirectory()) walk(path.join(d, e.name));
    } catch {
      /* gone */
    }
  };
  walk(path.join(mem, root));
  return out;
}

function httpsGet(
  url: string,
  tls: { ca: Buffer; cert: Buffer; key: Buffer },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ...tls, timeout: 3000, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

export type { ProcRef };
