import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, ensureBinaries, startControlPlane } from './controlPlane.js';

// Resolved at collection time so a missing Go toolchain becomes a visible, honest skip.
// (The first run may build kube-apiserver + etcd, which takes minutes; later runs are instant.)
const binaries = await ensureBinaries();
const skipReason = 'skip' in binaries ? binaries.skip : undefined;
if (skipReason) console.warn(`[control-plane] real API server tier skipped: ${skipReason}`);

function get(
  url: string,
  tls: { ca: string; cert: string; key: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      url,
      {
        ca: readFileSync(tls.ca),
        cert: readFileSync(tls.cert),
        key: readFileSync(tls.key),
        agent: false,
        timeout: 5000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe.skipIf(skipReason !== undefined)('real control plane (etcd + kube-apiserver)', () => {
  let cp: ControlPlane | undefined;

  beforeAll(async () => {
    if ('skip' in binaries) return;
    const t0 = Date.now();
    cp = await startControlPlane({ binaries });
    console.info(`[control-plane] ready in ${Date.now() - t0} ms at ${cp.server}`);
  }, 180_000);

  afterAll(async () => {
    await cp?.stop();
  });

  it('serves /version 1.34 to the cluster admin', async () => {
    if (!cp) throw new Error('control plane not started');
    const r = await get(`${cp.server}/version`, {
      ca: cp.certs.ca,
      cert: cp.certs.adminCert,
      key: cp.certs.adminKey,
    });
    expect(r.status).toBe(200);
    const v = JSON.parse(r.body) as { major: string; minor: string; gitVersion: string };
    expect(v.major).toBe('1');
    expect(v.minor).toBe('34');
    expect(v.gitVersion).toMatch(/^v1\.34\./);
  });

  it('lets the admin read the default namespace and writes usable kubeconfigs', async () => {
    if (!cp) throw new Error('control plane not started');
    const r = await get(`${cp.server}/api/v1/namespaces/default`, {
      ca: cp.certs.ca,
      cert: cp.certs.adminCert,
      key: cp.certs.adminKey,
    });
    expect(r.status).toBe(200);
    const admin = readFileSync(cp.adminKubeconfig, 'utf8');
    expect(admin).toContain('current-context: "envtest-admin"');
    expect(admin).toContain(cp.server);
    expect(readFileSync(cp.restrictedKubeconfig, 'utf8')).toContain('current-context: "envtest-restricted"');
    expect(readFileSync(cp.tokenKubeconfig('bogus-token'), 'utf8')).toContain('token: "bogus-token"');
  });

  it('forbids the restricted user from listing secrets in kube-system (403)', async () => {
    if (!cp) throw new Error('control plane not started');
    const r = await get(`${cp.server}/api/v1/namespaces/kube-system/secrets`, {
      ca: cp.certs.ca,
      cert: cp.certs.restrictedCert,
      key: cp.certs.restrictedKey,
    });
    expect(r.status).toBe(403);
    expect(r.body).toContain('User \\"restricted\\" cannot list resource \\"secrets\\"');
  });

  it('stop() kills both processes, closes the ports and removes the temp dir', async () => {
    if (!cp) throw new Error('control plane not started');
    const { ports, dir } = cp;
    expect(await portOpen(ports.apiserver)).toBe(true);
    await cp.stop();
    cp = undefined;
    expect(await portOpen(ports.apiserver)).toBe(false);
    expect(await portOpen(ports.etcdClient)).toBe(false);
    expect(await portOpen(ports.etcdPeer)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });
});
