// What answers at the API server URL, said once and clearly: a web page instead of an API server (once 24 failed
// checks ending in "Cannot read properties of undefined"), and an expired client certificate (once "may have
// expired"): the date it expired. Real HTTP(S) servers on loopback; a server dry-run (nothing persists anywhere).
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mintCa, mintClient, mintLeaf } from '../../../src/certs/mint.js';
import { runHostile, sandbox } from '../../support/hostile.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections?.();
    await new Promise((r) => s.close(r));
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

function kubeconfig(dir: string, server: string, user: string): string {
  const file = join(dir, 'kubeconfig');
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: ${user}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
  );
  return file;
}

const config = (dir: string) => {
  const file = join(dir, 'wizard.yaml');
  writeFileSync(file, 'hosts:\n  - { name: a.example.com, protocol: HTTP, route: v1 }\n');
  return file;
};

describe('not a Kubernetes API server', () => {
  const pages: [string, number, string, string][] = [
    ['an HTML page answering 200', 200, 'text/html', '<html><body>welcome</body></html>'],
    ['an HTML 404 page', 404, 'text/html', '<html>not found</html>'],
    ['JSON that is not the version object', 200, 'application/json', '{"status":"ok","labels":null}'],
    ['plain text', 200, 'text/plain', 'hello'],
  ];
  it.each(pages)('%s: said once, exit 1', async (_name, status, type, body) => {
    const port = await listen(
      createHttp((_req, res) => {
        res.writeHead(status, { 'content-type': type });
        res.end(body);
      }),
    );
    const box = sandbox();
    const kc = kubeconfig(box.root, `http://127.0.0.1:${port}`, '{token: t}');
    const r = await runHostile(
      box,
      ['--dry-run=server', '--yes', '--config', config(box.root), '--kubeconfig', kc],
      {
        code: 1,
        stderr: [`the server at http://127.0.0.1:${port} (context "x") is not a Kubernetes API server`],
      },
    );
    // One failed check (the renderer repeats a step's error in its summary), not one per object.
    expect(r.stderr).toContain('preflight failed (1 check)');
    expect(r.stderr.match(/FAIL {2}/g)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/Cannot read properties/);
  });
});

describe('client certificates', () => {
  it('an expired client certificate: the 401 says when it expired', async () => {
    const longAgo = new Date(Date.now() - 400 * 24 * 3600 * 1000);
    const ca = await mintCa({ keyType: 'ecdsa-p256', validityDays: 3650, now: longAgo });
    const leaf = await mintLeaf(ca, 'localhost', { keyType: 'ecdsa-p256', validityDays: 800, now: longAgo });
    const client = await mintClient(ca, 'me', { keyType: 'ecdsa-p256', validityDays: 30, now: longAgo });
    const expiry = new Date(longAgo.getTime() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    // Like kube-apiserver: asks for a client certificate, does not fail the handshake, answers 401 Status JSON.
    const server = createHttps(
      { key: leaf.keyPem, cert: leaf.certPem, requestCert: true, rejectUnauthorized: false },
      (_req, res) => {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(
          '{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}',
        );
      },
    );
    const port = await listen(server as unknown as Server);
    const box = sandbox();
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const kc = kubeconfig(
      box.root,
      `https://127.0.0.1:${port}`,
      `{client-certificate-data: ${b64(client.certPem)}, client-key-data: ${b64(client.keyPem)}}`,
    );
    const r = await runHostile(
      box,
      ['--dry-run=server', '--yes', '--config', config(box.root), '--kubeconfig', kc],
      {
        code: 1,
        stderr: ['401 Unauthorized', new RegExp(`the client certificate expired on ${expiry}T`)],
        secrets: [client.keyPem.split('\n')[1] as string],
      },
    );
    expect(r.stderr).not.toContain('may have expired');
  });
});
