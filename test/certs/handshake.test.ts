// The minted material works where it matters: a real TLS handshake, with and without a client certificate.
import { readFile } from 'node:fs/promises';
import { type ConnectionOptions, connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { ensureCerts } from '../../src/certs/ensure.js';
import type { KeyType } from '../../src/config/types.js';
import { https, makeConfig, withTempDir } from './helpers.js';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (typeof addr !== 'object' || !addr) throw new Error('no address');
  return addr.port;
}

function handshake(opts: ConnectionOptions): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve) => {
    // With TLS 1.3 a rejected client certificate surfaces after the client's handshake completes: success is
    // the server's greeting arriving; an error or a close without it is failure.
    const socket: TLSSocket = connect(opts);
    socket.once('data', () => {
      socket.destroy();
      resolve({ ok: true });
    });
    socket.once('error', (err) => resolve({ ok: false, error: err.message }));
    socket.once('close', () => resolve({ ok: false, error: 'closed' }));
  });
}

describe.each<KeyType>(['ecdsa-p256', 'rsa-2048'])('TLS handshake with %s certificates', (keyType) => {
  it('SIMPLE wildcard host: the client verifies the server against ca.crt by name', () =>
    withTempDir(async (dir) => {
      const { paths } = await ensureCerts(makeConfig([https('*.example.com')], keyType), dir);
      const p = paths.hosts['*.example.com'];
      const [cert, key, ca] = await Promise.all([
        readFile(p?.cert ?? ''),
        readFile(p?.key ?? ''),
        readFile(paths.caCert),
      ]);
      const server = createServer({ cert, key }, (s) => s.end('hello'));
      const port = await listen(server);
      try {
        expect(await handshake({ host: '127.0.0.1', port, ca, servername: 'shop.example.com' })).toEqual({
          ok: true,
        });
        const wrong = await handshake({ host: '127.0.0.1', port, ca, servername: 'shop.example.net' });
        expect(wrong.ok).toBe(false);
        expect(wrong.error).toMatch(/does not match certificate's altnames/);
        const untrusted = await handshake({ host: '127.0.0.1', port, servername: 'shop.example.com' });
        expect(untrusted.ok).toBe(false);
        expect(untrusted.error).toMatch(/self-signed|unable to (get|verify)/i);
      } finally {
        server.close();
      }
    }));

  it('MUTUAL host: the server accepts the minted client certificate and rejects a client without one', () =>
    withTempDir(async (dir) => {
      const { paths } = await ensureCerts(makeConfig([https('secure.example.com', 'MUTUAL')], keyType), dir);
      const p = paths.hosts['secure.example.com'];
      const read = (f?: string) => readFile(f ?? '');
      const [cert, key, ca, clientCert, clientKey] = await Promise.all([
        read(p?.cert),
        read(p?.key),
        read(paths.caCert),
        read(p?.clientCert),
        read(p?.clientKey),
      ]);
      const server = createServer({ cert, key, ca, requestCert: true, rejectUnauthorized: true }, (s) =>
        s.end('hi'),
      );
      const port = await listen(server);
      try {
        const base = { host: '127.0.0.1', port, ca, servername: 'secure.example.com' };
        expect(await handshake({ ...base, cert: clientCert, key: clientKey })).toEqual({ ok: true });
        expect((await handshake(base)).ok).toBe(false);
        // The server certificate is not accepted as a client certificate (EKU serverAuth only).
        expect((await handshake({ ...base, cert, key })).ok).toBe(false);
      } finally {
        server.close();
      }
    }));
});
