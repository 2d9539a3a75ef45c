/**
 * A real Kubernetes control plane for tests, envtest-style: etcd + kube-apiserver,
 * no kubelet / controller-manager / scheduler.
 *
 * - `ensureBinaries()` runs build.sh (builds once, caches outside the repo).
 * - `startControlPlane()` generates a throw-away PKI with the openssl CLI, starts etcd and
 *   kube-apiserver on free loopback ports and waits until /readyz is ok and the
 *   `default` namespace exists.
 *
 * Only node built-ins; child processes are always started with argument arrays (no shell).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueCert, LEAF, makeCa, makeServiceAccountKeys } from '../support/opensslPki.js';

export interface ControlPlane {
  /** https://127.0.0.1:PORT */
  server: string;
  /** kubeconfig for a cluster-admin user (client cert, O=system:masters), context "envtest-admin" */
  adminKubeconfig: string;
  /** kubeconfig for user "restricted" (client cert, no RBAC bindings), context "envtest-restricted" */
  restrictedKubeconfig: string;
  /** writes a kubeconfig that authenticates with the given bearer token (context "envtest-token") */
  tokenKubeconfig(token: string): string;
  /** temp dir holding certs, data and logs */
  dir: string;
  /** PEM file paths, handy for raw https requests in tests */
  certs: {
    ca: string;
    adminCert: string;
    adminKey: string;
    restrictedCert: string;
    restrictedKey: string;
  };
  ports: { apiserver: number; etcdClient: number; etcdPeer: number };
  logs: { apiserver: string; etcd: string };
  /** kills kube-apiserver + etcd and removes `dir` */
  stop(): Promise<void>;
}

export interface Binaries {
  apiserver: string;
  etcd: string;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BUILD_SCRIPT = path.join(HERE, 'build.sh');

/**
 * Returns the binary paths (building them on first use), or `{ skip }` when Go is
 * unavailable (build.sh exit code 3). Any other failure throws.
 *
 * WIZARD_KUBE_APISERVER + WIZARD_ETCD (both set) bypass build.sh entirely.
 */
export async function ensureBinaries(): Promise<Binaries | { skip: string }> {
  const envApi = process.env.WIZARD_KUBE_APISERVER;
  const envEtcd = process.env.WIZARD_ETCD;
  if (envApi && envEtcd) return { apiserver: envApi, etcd: envEtcd };

  return await new Promise((resolve, reject) => {
    const child = spawn('bash', [BUILD_SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      // A first build takes many minutes: show progress instead of hanging silently.
      process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 3) {
        resolve({ skip: err.trim() || 'go not found: the real API server tier needs Go >= 1.24' });
        return;
      }
      if (code !== 0) {
        reject(new Error(`build.sh failed (exit ${code}):\n${tail(err, 30)}`));
        return;
      }
      const apiserver = /^KUBE_APISERVER=(.+)$/m.exec(out)?.[1];
      const etcd = /^ETCD=(.+)$/m.exec(out)?.[1];
      if (!apiserver || !etcd) {
        reject(new Error(`build.sh printed no binary paths:\n${out}\n${tail(err, 30)}`));
        return;
      }
      resolve({ apiserver, etcd });
    });
  });
}

function tail(text: string, lines: number): string {
  return text.split('\n').slice(-lines).join('\n');
}

function tailFile(file: string, lines = 30): string {
  try {
    return tail(readFileSync(file, 'utf8').trimEnd(), lines);
  } catch {
    return '(no log)';
  }
}

/** Reserve `n` distinct free loopback ports (all held open at once so they differ). */
async function freePorts(n: number): Promise<number[]> {
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
      const addr = srv.address();
      if (!addr || typeof addr === 'string') throw new Error('could not allocate a port');
      ports.push(addr.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((res) => s.close(() => res()))));
  }
}

async function makePki(pki: string): Promise<void> {
  await makeCa(pki, 'envtest-ca');
  await Promise.all([
    issueCert(
      pki,
      'serving',
      { cn: 'kube-apiserver' },
      `${LEAF}\nextendedKeyUsage = serverAuth\nsubjectAltName = IP:127.0.0.1, DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, IP:10.0.0.1`,
    ),
    issueCert(
      pki,
      'admin',
      { cn: 'envtest-admin', org: 'system:masters' },
      `${LEAF}\nextendedKeyUsage = clientAuth`,
    ),
    issueCert(pki, 'restricted', { cn: 'restricted' }, `${LEAF}\nextendedKeyUsage = clientAuth`),
    makeServiceAccountKeys(pki),
  ]);
}

function b64(file: string): Promise<string> {
  return readFile(file).then((b) => b.toString('base64'));
}

function kubeconfigYaml(opts: {
  server: string;
  caData: string;
  context: string;
  user: string;
  userFields: Record<string, string>;
}): string {
  const userLines = Object.entries(opts.userFields)
    .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
    .join('\n');
  return `apiVersion: v1
kind: Config
clusters:
- name: envtest
  cluster:
    server: ${JSON.stringify(opts.server)}
    certificate-authority-data: ${JSON.stringify(opts.caData)}
users:
- name: ${JSON.stringify(opts.user)}
  user:
${userLines}
contexts:
- name: ${JSON.stringify(opts.context)}
  context:
    cluster: envtest
    user: ${JSON.stringify(opts.user)}
    namespace: default
current-context: ${JSON.stringify(opts.context)}
preferences: {}
`;
}

interface Proc {
  child: ChildProcess;
  exited: Promise<void>;
  hasExited: () => boolean;
  exitInfo: () => string;
}

function startProc(bin: string, args: string[], logFile: string, cwd: string): Proc {
  const fd = openSync(logFile, 'a');
  let done = false;
  let info = '';
  const child = spawn(bin, args, { cwd, stdio: ['ignore', fd, fd] });
  closeSync(fd); // the child holds its own copy
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      info = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve();
    });
    child.once('error', (e) => {
      done = true;
      info = `spawn error: ${e.message}`;
      resolve();
    });
  });
  return { child, exited, hasExited: () => done, exitInfo: () => info };
}

async function stopProc(p: Proc | undefined, graceMs = 10_000): Promise<void> {
  if (!p || p.hasExited()) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (!p.hasExited()) p.child.kill('SIGKILL');
  }, graceMs);
  await p.exited;
  clearTimeout(timer);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function httpGet(url: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
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

function httpsRequest(
  url: string,
  tls: { ca: Buffer; cert: Buffer; key: Buffer },
  method = 'GET',
  body?: string,
  timeoutMs = 5000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ...tls,
        timeout: timeoutMs,
        agent: false,
        headers: body ? { 'content-type': 'application/json' } : undefined,
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8').on('data', (d: string) => {
          data += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

async function waitFor(
  what: string,
  proc: Proc,
  logFile: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastErr = '';
  for (;;) {
    if (proc.hasExited()) {
      throw new Error(
        `${what}: process died (${proc.exitInfo()}). Last log lines of ${logFile}:\n${tailFile(logFile)}`,
      );
    }
    try {
      if (await check()) return;
    } catch (e) {
      lastErr = (e as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not ready after ${timeoutMs} ms${lastErr ? ` (last error: ${lastErr})` : ''}. Last log lines of ${logFile}:\n${tailFile(logFile)}`,
      );
    }
    await sleep(200);
  }
}

// Make sure children never outlive the test process, even when a test forgets stop().
const liveProcs = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(p: Proc): void {
  liveProcs.add(p.child);
  void p.exited.then(() => liveProcs.delete(p.child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of liveProcs) c.kill('SIGKILL');
    });
  }
}

export async function startControlPlane(opts?: {
  binaries?: Binaries;
  /** readiness timeout for kube-apiserver, default 90 s */
  timeoutMs?: number;
}): Promise<ControlPlane> {
  let binaries = opts?.binaries;
  if (!binaries) {
    const b = await ensureBinaries();
    if ('skip' in b) throw new Error(b.skip);
    binaries = b;
  }
  for (const bin of [binaries.apiserver, binaries.etcd]) {
    if (!existsSync(bin)) throw new Error(`control-plane binary missing: ${bin}`);
  }
  const timeoutMs = opts?.timeoutMs ?? 90_000;

  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-envtest-'));
  const pki = dir; // certs live directly in dir
  const etcdLog = path.join(dir, 'etcd.log');
  const apiLog = path.join(dir, 'kube-apiserver.log');
  let etcd: Proc | undefined;
  let api: Proc | undefined;

  const cleanup = async () => {
    await stopProc(api);
    await stopProc(etcd);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await makePki(pki);
    const [apiPort, etcdClient, etcdPeer] = (await freePorts(3)) as [number, number, number];
    const server = `https://127.0.0.1:${apiPort}`;
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const peerUrl = `http://127.0.0.1:${etcdPeer}`;

    etcd = startProc(
      binaries.etcd,
      [
        '--name=envtest',
        `--data-dir=${path.join(dir, 'etcd-data')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=envtest=${peerUrl}`,
        '--initial-cluster-state=new',
        '--unsafe-no-fsync=true',
        '--log-level=warn',
      ],
      etcdLog,
      dir,
    );
    track(etcd);
    await waitFor('etcd', etcd, etcdLog, 30_000, async () => {
      const r = await httpGet(`${etcdUrl}/health`);
      return r.status === 200 && /"health":\s*"true"/.test(r.body);
    });

    api = startProc(
      binaries.apiserver,
      [
        `--etcd-servers=${etcdUrl}`,
        `--cert-dir=${path.join(dir, 'apiserver-certs')}`,
        `--secure-port=${apiPort}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--tls-cert-file=${path.join(pki, 'serving.crt')}`,
        `--tls-private-key-file=${path.join(pki, 'serving.key')}`,
        `--client-ca-file=${path.join(pki, 'ca.crt')}`,
        '--authorization-mode=RBAC',
        `--service-account-issuer=${server}/`,
        `--service-account-key-file=${path.join(pki, 'sa.pub')}`,
        `--service-account-signing-key-file=${path.join(pki, 'sa.key')}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        // No controller-manager: nobody would create the token the ServiceAccount plugin waits for.
        '--disable-admission-plugins=ServiceAccount',
        '--allow-privileged=true',
        // The advertise address is loopback, which Endpoints reject; skip reconciling them.
        '--endpoint-reconciler-type=none',
        '--profiling=false',
        '--v=1',
      ],
      apiLog,
      dir,
    );
    track(api);

    const tls = {
      ca: await readFile(path.join(pki, 'ca.crt')),
      cert: await readFile(path.join(pki, 'admin.crt')),
      key: await readFile(path.join(pki, 'admin.key')),
    };
    await waitFor('kube-apiserver /readyz', api, apiLog, timeoutMs, async () => {
      const r = await httpsRequest(`${server}/readyz`, tls);
      return r.status === 200 && r.body.trim() === 'ok';
    });
    // The bootstrap controller creates default/kube-system/kube-public itself; create them if not.
    for (const ns of ['default', 'kube-system']) {
      await waitFor(`namespace ${ns}`, api, apiLog, 15_000, async () => {
        const r = await httpsRequest(`${server}/api/v1/namespaces/${ns}`, tls);
        if (r.status === 200) return true;
        if (r.status === 404) {
          await httpsRequest(
            `${server}/api/v1/namespaces`,
            tls,
            'POST',
            JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }),
          );
        }
        return false;
      });
    }

    const caData = await b64(path.join(pki, 'ca.crt'));
    const adminKubeconfig = path.join(dir, 'admin.kubeconfig');
    const restrictedKubeconfig = path.join(dir, 'restricted.kubeconfig');
    await writeFile(
      adminKubeconfig,
      kubeconfigYaml({
        server,
        caData,
        context: 'envtest-admin',
        user: 'envtest-admin',
        userFields: {
          'client-certificate-data': await b64(path.join(pki, 'admin.crt')),
          'client-key-data': await b64(path.join(pki, 'admin.key')),
        },
      }),
      { mode: 0o600 },
    );
    await writeFile(
      restrictedKubeconfig,
      kubeconfigYaml({
        server,
        caData,
        context: 'envtest-restricted',
        user: 'restricted',
        userFields: {
          'client-certificate-data': await b64(path.join(pki, 'restricted.crt')),
          'client-key-data': await b64(path.join(pki, 'restricted.key')),
        },
      }),
      { mode: 0o600 },
    );

    let tokenFiles = 0;
    let stopped = false;
    return {
      server,
      adminKubeconfig,
      restrictedKubeconfig,
      tokenKubeconfig(token: string): string {
        const file = path.join(dir, `token-${++tokenFiles}.kubeconfig`);
        writeFileSync(
          file,
          kubeconfigYaml({
            server,
            caData,
            context: 'envtest-token',
            user: 'token-user',
            userFields: { token },
          }),
          { mode: 0o600 },
        );
        return file;
      },
      dir,
      certs: {
        ca: path.join(pki, 'ca.crt'),
        adminCert: path.join(pki, 'admin.crt'),
        adminKey: path.join(pki, 'admin.key'),
        restrictedCert: path.join(pki, 'restricted.crt'),
        restrictedKey: path.join(pki, 'restricted.key'),
      },
      ports: { apiserver: apiPort, etcdClient, etcdPeer },
      logs: { apiserver: apiLog, etcd: etcdLog },
      async stop() {
        if (stopped) return;
        stopped = true;
        await cleanup();
      },
    };
  } catch (e) {
    // Read logs before the directory disappears (the error message already carries the tails).
    await cleanup().catch(() => undefined);
    throw e;
  }
}
