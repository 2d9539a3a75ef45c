// Transient failures between the wizard and a real API server: a fault-injecting proxy in front of kube-apiserver
// answers the scripted statuses (or drops the connection) for chosen requests and forwards everything else
// (authenticated as the admin), so retries are checked against the real thing.
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiError } from '../../../src/io/kube/errors.js';
import type { K8sObject } from '../../../src/manifests/types.js';
import { skipReason, useControlPlane } from '../../support/apiserver.js';

type Fault = { status: number; headers?: Record<string, string> } | 'reset';

interface Proxy {
  url: string;
  /** Faults for the next PATCH requests, in order. */
  faults: Fault[];
  /** Every request: method, path, time, and whether it was faulted. */
  seen: { method: string; path: string; at: number; faulted: boolean }[];
  close(): Promise<void>;
}

async function startProxy(server: string, tls: { ca: Buffer; cert: Buffer; key: Buffer }): Promise<Proxy> {
  const state: Proxy = { url: '', faults: [], seen: [], close: async () => undefined };
  const agent = new https.Agent({ ...tls, keepAlive: true });
  const srv = http.createServer((req, res) => {
    const fault = req.method === 'PATCH' ? state.faults.shift() : undefined;
    state.seen.push({ method: req.method ?? '', path: req.url ?? '', at: Date.now(), faulted: !!fault });
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault) {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(JSON.stringify({ kind: 'Status', code: fault.status, message: `injected ${fault.status}` }));
      return;
    }
    const up = https.request(
      new URL(req.url ?? '/', server),
      { method: req.method, headers: { ...req.headers, host: new URL(server).host }, agent },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    req.pipe(up);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  state.close = async () => {
    srv.closeAllConnections();
    await new Promise<void>((r) => srv.close(() => r()));
    agent.destroy();
  };
  return state;
}

describe.skipIf(skipReason)('retries (real API server behind a fault-injecting proxy)', () => {
  const suite = useControlPlane();
  let proxy: Proxy;
  let kubeconfig: string;
  beforeAll(async () => {
    const { cp } = suite();
    proxy = await startProxy(cp.server, {
      ca: readFileSync(cp.certs.ca),
      cert: readFileSync(cp.certs.adminCert),
      key: readFileSync(cp.certs.adminKey),
    });
    kubeconfig = path.join(cp.dir, 'proxy.kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters: [{name: proxy, cluster: {server: "${proxy.url}"}}]
users: [{name: anon, user: {}}]
contexts: [{name: proxy, context: {cluster: proxy, user: anon}}]
current-context: proxy
`,
    );
  });
  afterAll(async () => proxy?.close());

  const cm = (name: string): K8sObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default' },
    data: { a: '1' },
  });
  const patches = () => proxy.seen.filter((s) => s.method === 'PATCH');

  it('retries 503 and 502, then succeeds', async () => {
    const c = await suite().connect({ kubeconfig });
    proxy.seen = [];
    proxy.faults = [{ status: 503 }, { status: 502 }];
    const r = await c.apply(cm('retry-503'));
    expect(r.outcome).toBe('created');
    expect(patches().map((p) => p.faulted)).toEqual([true, true, false]);
    expect(
      await suite().admin.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'default',
        name: 'retry-503',
      }),
    ).toBeDefined();
  });

  it('honours Retry-After on 429', async () => {
    const c = await suite().connect({ kubeconfig });
    proxy.seen = [];
    proxy.faults = [{ status: 429, headers: { 'retry-after': '1' } }];
    expect((await c.apply(cm('retry-429'))).outcome).toBe('created');
    const [first, second] = patches();
    expect(second && first ? second.at - first.at : 0).toBeGreaterThanOrEqual(1000);
  });

  it('retries a dropped connection once the server was reached', async () => {
    const c = await suite().connect({ kubeconfig });
    proxy.seen = [];
    proxy.faults = ['reset'];
    expect((await c.apply(cm('retry-reset'))).outcome).toBe('created');
    expect(patches().map((p) => p.faulted)).toEqual([true, false]);
  });

  it('gives up after 5 tries with the status', async () => {
    const c = await suite().connect({ kubeconfig });
    proxy.seen = [];
    proxy.faults = Array.from({ length: 5 }, () => ({ status: 503 }));
    const err = await c.apply(cm('retry-never')).catch((e) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err.message).toBe(
      'apply ConfigMap/default/retry-never: the API server answered 503: injected 503',
    );
    expect(patches()).toHaveLength(5);
  });

  it('does not retry permanent errors (403, 409, 422)', async () => {
    const c = await suite().connect({ kubeconfig });
    for (const status of [403, 409, 422]) {
      proxy.seen = [];
      proxy.faults = [{ status }];
      const err = await c.apply(cm(`perm-${status}`)).catch((e) => e);
      expect(err.status).toBe(status);
      expect(patches()).toHaveLength(1);
    }
    proxy.faults = [];
  });
});
