// The real istiod + Envoy gateway (istio.ts) on a real API server: HTTP routing by Gateway + VirtualService, an
// HTTPS server with credentialName served by SNI with its own certificate, MUTUAL refusing a client without a
// certificate (every curl exit code seen is recorded, and each must be one verify counts as refused), and stop()
// leaving nothing behind. Backends are the bundled Flask app (the image's CMD from a venv, backends.ts) on the host
// end of the gateway's veth pair, behind hand-written Services + EndpointSlices. Timings are printed, never asserted.
// Skipped, with the reason printed, where the binaries cannot be had (no Go, no python3 venv, not root).
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster } from '../../../src/io/kube/connect.js';
import type { LiveCluster } from '../../../src/io/kube/live.js';
import type { K8sObject } from '../../../src/manifests/types.js';
import { CLIENT_CERT_REFUSED } from '../../../src/verify/verdict.js';
import { type ControlPlane, ensureBinaries, startControlPlane } from '../../control-plane/controlPlane.js';
import type { RunningApp } from '../../support/flaskApp.js';
import { makeCa, makeClient, makeLeaf, type Pair } from '../../verify/certs.js';
import { startFlaskOn } from './backends.js';
import { ensureIstioBinaries, type Istio, startIstio } from './istio.js';

const execFileP = promisify(execFile);

const cpBins = await ensureBinaries();
const istioBins = 'skip' in cpBins ? cpBins : await ensureIstioBinaries();
const skipReason = 'skip' in cpBins ? cpBins.skip : 'skip' in istioBins ? istioBins.skip : undefined;
if (skipReason)
  process.stderr.write(`\n*** SKIPPED: real istiod + Envoy tests (test/stack/istio): ${skipReason}\n\n`);

const NS = 'stack-istio-test';
const report = (line: string) => process.stderr.write(`[stack/istio] ${line}\n`);

interface Curl {
  code: number;
  body: string;
  stderr: string;
}

async function curl(args: string[]): Promise<Curl> {
  try {
    const r = await execFileP('curl', [
      '--silent',
      '--show-error',
      '--noproxy',
      '*',
      '--max-time',
      '5',
      ...args,
    ]);
    return { code: 0, body: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof err.code === 'number' ? err.code : -1,
      body: err.stdout ?? '',
      stderr: err.stderr ?? '',
    };
  }
}

/** Polls until `ok` holds; returns the milliseconds it took and the last answer. */
async function until(what: string, ask: () => Promise<Curl>, ok: (c: Curl) => boolean, timeoutMs = 30_000) {
  const t0 = Date.now();
  let last: Curl = { code: -1, body: '', stderr: '' };
  while (Date.now() - t0 < timeoutMs) {
    last = await ask();
    if (ok(last)) return { ms: Date.now() - t0, last };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(
    `${what}: not within ${timeoutMs} ms (last: curl ${last.code} ${last.body.trim()} ${last.stderr.trim()})`,
  );
}

async function apply(cluster: LiveCluster, obj: K8sObject): Promise<void> {
  await cluster.request({
    method: 'PATCH',
    path: await cluster.resources.path({
      ...obj,
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
    }),
    query: { fieldManager: 'stack-istio-test', force: 'true' },
    body: obj,
    contentType: 'application/apply-patch+yaml',
    what: `apply ${obj.kind}/${obj.metadata.name}`,
  });
}

/** A selector-less Service and its EndpointSlice pointing at a process on the host end of the veth pair. */
function backend(name: string, address: string, port: number): K8sObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: NS },
      spec: { ports: [{ name: 'http', port: 8080, targetPort: port, protocol: 'TCP' }] },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: `${name}-manual`,
        namespace: NS,
        labels: {
          'kubernetes.io/service-name': name,
          'endpointslice.kubernetes.io/managed-by': 'stack-istio-test',
        },
      },
      addressType: 'IPv4',
      ports: [{ name: 'http', port, protocol: 'TCP' }],
      endpoints: [{ addresses: [address], conditions: { ready: true } }],
    },
  ];
}

type Server = Record<string, unknown>;
const gateway = (name: string, servers: Server[]): K8sObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name, namespace: NS },
  spec: { selector: { istio: 'ingressgateway' }, servers },
});
const virtualService = (name: string, host: string, gw: string, dest: string): K8sObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name, namespace: NS },
  spec: {
    hosts: [host],
    gateways: [gw],
    http: [{ route: [{ destination: { host: `${dest}.${NS}.svc.cluster.local`, port: { number: 8080 } } }] }],
  },
});

async function tlsSecret(cluster: LiveCluster, name: string, leaf: Pair, ca?: Pair): Promise<void> {
  const b64 = async (f: string) => (await readFile(f)).toString('base64');
  await apply(cluster, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'istio-system' },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': await b64(leaf.cert),
      'tls.key': await b64(leaf.key),
      ...(ca ? { 'ca.crt': await b64(ca.cert) } : {}),
    },
  });
}

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(skipReason)('real istiod + Envoy ingress gateway', () => {
  let cp: ControlPlane;
  let istio: Istio;
  let cluster: LiveCluster;
  let dir: string;
  const apps: RunningApp[] = [];
  let ca: Pair;

  const resolve = (host: string, port: number) => ['--resolve', `${host}:${port}:${istio.gatewayAddress}`];
  const httpVersion = (host: string) =>
    curl([...resolve(host, istio.httpPort), `http://${host}:${istio.httpPort}/version`]);
  const httpsVersion = (host: string, extra: string[] = []) =>
    curl([
      ...resolve(host, istio.httpsPort),
      '--cacert',
      ca.cert,
      ...extra,
      `https://${host}:${istio.httpsPort}/version`,
    ]);

  beforeAll(async () => {
    if ('skip' in cpBins || 'skip' in istioBins) return;
    dir = await mkdtemp(path.join(tmpdir(), 'wizard-stack-istio-'));
    cp = await startControlPlane({ binaries: cpBins });
    istio = await startIstio({ adminKubeconfig: cp.adminKubeconfig, dir, binaries: istioBins });
    report(
      `istiod ready in ${istio.timings.istiodReadyMs} ms; Envoy live ${istio.timings.envoyLiveMs} ms after start`,
    );
    cluster = await connectCluster({ kubeconfig: cp.adminKubeconfig });
    await apply(cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    for (const v of ['v1', 'v2']) {
      const app = await startFlaskOn(istio.hostAddress, v);
      apps.push(app);
      for (const o of backend(`flask-${v}`, istio.hostAddress, app.port)) await apply(cluster, o);
    }
    ca = await makeCa(path.join(dir, 'pki'));
  }, 30 * 60_000);

  afterAll(async () => {
    cluster?.close();
    await istio?.stop();
    for (const a of apps) await a.stop();
    await cp?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('the cluster sees the gateway: a Ready pod with the gateway address, a LoadBalancer Service 80→8080, 443→8443', async () => {
    const pods = await cluster.list({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'istio-system',
      labelSelector: 'istio=ingressgateway,app=istio-ingressgateway',
    });
    expect(pods.map((p) => p.status?.podIP)).toEqual([istio.gatewayAddress]);
    const svc = await cluster.get({
      apiVersion: 'v1',
      kind: 'Service',
      namespace: 'istio-system',
      name: 'istio-ingressgateway',
    });
    expect(svc?.spec?.type).toBe('LoadBalancer');
    expect(
      (svc?.spec?.ports ?? []).map((p: { name: string; port: number; targetPort: number }) => [
        p.name,
        p.port,
        p.targetPort,
      ]),
    ).toEqual([
      ['status-port', 15021, 15021],
      ['http2', 80, 8080],
      ['https', 443, 8443],
    ]);
    expect(svc?.status?.loadBalancer?.ingress).toEqual([{ ip: istio.gatewayAddress, ipMode: 'VIP' }]);
    // The status port answers from Envoy's own readiness.
    const ready = await curl([`http://${istio.gatewayAddress}:15021/healthz/ready`]);
    expect([ready.code, ready.body.trim()]).toEqual([0, 'LIVE']);
  });

  it('HTTP: a Gateway + VirtualService route is served; a host on no Gateway gets 404; route changes reach Envoy', async () => {
    const t0 = Date.now();
    await apply(
      cluster,
      gateway('http-gw', [
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['a.example.com'] },
      ]),
    );
    await apply(cluster, virtualService('a', 'a.example.com', 'http-gw', 'flask-v1'));
    const first = await until(
      'first HTTP answer',
      () => httpVersion('a.example.com'),
      (c) => c.body.trim() === 'v1',
    );
    report(`HTTP route: apply → first correct answer ${Date.now() - t0} ms`);
    expect(first.last.code).toBe(0);
    // Through the Service port 80 as well as Envoy's own 8080.
    const direct = await curl([...resolve('a.example.com', 8080), 'http://a.example.com:8080/version']);
    expect(direct.body.trim()).toBe('v1');
    const unknown = await curl([
      ...resolve('nope.example.com', 80),
      '--write-out',
      '%{http_code}',
      '--output',
      '/dev/null',
      'http://nope.example.com/version',
    ]);
    expect(unknown.body).toBe('404');

    const changes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const to = i % 2 === 0 ? 'v2' : 'v1';
      const t = Date.now();
      await apply(cluster, virtualService('a', 'a.example.com', 'http-gw', `flask-${to}`));
      await until(
        `route change to ${to}`,
        () => httpVersion('a.example.com'),
        (c) => c.body.trim() === to,
      );
      changes.push(Date.now() - t);
    }
    const sorted = [...changes].sort((a, b) => a - b);
    report(
      `route change → first correct answer over ${changes.length} changes: ${changes.join(', ')} ms (median ${sorted[Math.floor(sorted.length / 2)]} ms)`,
    );
  });

  it('HTTPS: a credentialName server is served by SNI with its own certificate, verified against its CA', async () => {
    const leaf = await makeLeaf(ca, path.join(dir, 'pki', 'b'), 'b.example.com');
    await tlsSecret(cluster, 'b-tls', leaf);
    const t0 = Date.now();
    await apply(
      cluster,
      gateway('https-gw', [
        {
          port: { number: 443, name: 'https', protocol: 'HTTPS' },
          hosts: ['b.example.com'],
          tls: { mode: 'SIMPLE', credentialName: 'b-tls' },
        },
      ]),
    );
    await apply(cluster, virtualService('b', 'b.example.com', 'https-gw', 'flask-v2'));
    const first = await until(
      'first HTTPS answer',
      () => httpsVersion('b.example.com'),
      (c) => c.body.trim() === 'v2',
    );
    report(`HTTPS server (new TLS listener + secret): apply → first correct answer ${Date.now() - t0} ms`);
    expect(first.last.code).toBe(0);
    // The certificate served is the one in the secret (same serial as the file), for that SNI only.
    const served = spawnSync(
      'sh',
      [
        '-c',
        `openssl s_client -connect ${istio.gatewayAddress}:${istio.httpsPort} -servername b.example.com </dev/null 2>/dev/null | openssl x509 -noout -serial`,
      ],
      { encoding: 'utf8' },
    ).stdout.trim();
    const file = spawnSync('openssl', ['x509', '-in', leaf.cert, '-noout', '-serial'], {
      encoding: 'utf8',
    }).stdout.trim();
    expect(served).toBe(file);
    expect(served).toMatch(/^serial=/);
    // Another SNI has no server on 443: the handshake fails (no -k anywhere).
    const other = await curl([
      ...resolve('a.example.com', istio.httpsPort),
      '--cacert',
      ca.cert,
      `https://a.example.com:${istio.httpsPort}/version`,
    ]);
    expect(other.code).toBe(35);
  });

  it('MUTUAL: served with the client certificate; refused without it, with exit codes verify counts as refused', async () => {
    const dirC = path.join(dir, 'pki', 'c');
    const leaf = await makeLeaf(ca, dirC, 'c.example.com');
    const client = await makeClient(ca, dirC, 'c.example.com');
    await tlsSecret(cluster, 'c-tls', leaf, ca);
    await apply(
      cluster,
      gateway('mutual-gw', [
        {
          port: { number: 443, name: 'https-mutual', protocol: 'HTTPS' },
          hosts: ['c.example.com'],
          tls: { mode: 'MUTUAL', credentialName: 'c-tls' },
        },
      ]),
    );
    await apply(cluster, virtualService('c', 'c.example.com', 'mutual-gw', 'flask-v1'));
    const withCert = ['--cert', client.cert, '--key', client.key];
    const ok = await until(
      'MUTUAL with a client certificate',
      () => httpsVersion('c.example.com', withCert),
      (c) => c.body.trim() === 'v1',
    );
    expect(ok.last.code).toBe(0);

    const seen: Record<number, number> = {};
    for (let i = 0; i < 30; i++) {
      const r = await httpsVersion('c.example.com');
      seen[r.code] = (seen[r.code] ?? 0) + 1;
      expect(r.body).toBe('');
    }
    report(`MUTUAL without a client certificate, 30 tries: curl exit codes ${JSON.stringify(seen)}`);
    for (const code of Object.keys(seen).map(Number)) expect(CLIENT_CERT_REFUSED.has(code)).toBe(true);
  });

  it('listens only on addresses the tier owns: istiod on loopback and the veth host end, Envoy in its namespace', async () => {
    const listening = (out: string, pid: number) =>
      out
        .split('\n')
        .filter((l) => l.includes(`pid=${pid},`))
        .map((l) => l.trim().split(/\s+/)[3] ?? '');
    const host = spawnSync('ss', ['-Hltnp'], { encoding: 'utf8' }).stdout;
    const istiod = listening(host, istio.istiodPid);
    expect(istiod.length).toBeGreaterThanOrEqual(5);
    for (const a of istiod)
      expect(a).toMatch(new RegExp(`^(127\\.0\\.0\\.1|${istio.hostAddress.replace(/\./g, '\\.')}):\\d+$`));
    expect(istiod).toContain(`${istio.hostAddress}:15012`);
    // Envoy has no socket in the host's namespace at all; in its own, 0.0.0.0 means that namespace's address only.
    expect(listening(host, istio.envoyPid)).toEqual([]);
    const inNs = spawnSync('ip', ['netns', 'exec', istio.netns, 'ss', '-Hltnp'], { encoding: 'utf8' }).stdout;
    const envoy = listening(inNs, istio.envoyPid);
    expect(envoy).toEqual(
      expect.arrayContaining(['0.0.0.0:8080', '0.0.0.0:8443', `${istio.gatewayAddress}:15021`]),
    );
    report(`istiod listens on ${istiod.join(' ')}; Envoy (in ${istio.netns}) on ${envoy.join(' ')}`);
  });

  it('stop(): istiod and Envoy exit, the gateway namespace and its veth pair are gone, the pod object deleted', async () => {
    const { istiodPid, envoyPid, netns } = istio;
    expect(pidAlive(istiodPid) && pidAlive(envoyPid)).toBe(true);
    await istio.stop();
    expect(pidAlive(istiodPid)).toBe(false);
    expect(pidAlive(envoyPid)).toBe(false);
    const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
    expect(list).not.toContain(netns);
    const addrs = spawnSync('ip', ['-br', 'addr'], { encoding: 'utf8' }).stdout;
    expect(addrs).not.toContain(`${istio.hostAddress}/`);
    const pods = await cluster.list({ apiVersion: 'v1', kind: 'Pod', namespace: 'istio-system' });
    expect(pods).toEqual([]);
  });
});
