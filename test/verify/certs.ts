// Test certificates made with the openssl CLI (argument arrays, no shell): a CA, server leaves with one SAN each,
// client certificates for MUTUAL hosts. Keys live in a temp dir and are never committed.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { WizardConfig } from '../../src/config/types.js';
import type { CertPaths } from '../../src/steps/types.js';

const execFileP = promisify(execFile);
const openssl = (args: string[]) => execFileP('openssl', args);

export interface Pair {
  cert: string;
  key: string;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export async function makeCa(dir: string, cn = 'wizard test CA'): Promise<Pair> {
  await mkdir(dir, { recursive: true });
  const p = { cert: path.join(dir, 'ca.crt'), key: path.join(dir, 'ca.key') };
  await openssl([
    'req',
    '-x509',
    ...EC,
    '-keyout',
    p.key,
    '-out',
    p.cert,
    '-subj',
    `/CN=${cn}`,
    '-days',
    '2',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return p;
}

async function signed(ca: Pair, dir: string, name: string, cn: string, ext: string): Promise<Pair> {
  await mkdir(dir, { recursive: true });
  const p = { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
  const csr = path.join(dir, `${name}.csr`);
  const extFile = path.join(dir, `${name}.ext`);
  await writeFile(extFile, ext);
  await openssl(['req', '-new', ...EC, '-keyout', p.key, '-out', csr, '-subj', `/CN=${cn.slice(0, 64)}`]);
  await openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-set_serial',
    `0x${Date.now().toString(16)}${Math.floor(Math.random() * 1e6).toString(16)}`,
    '-days',
    '2',
    '-out',
    p.cert,
    '-extfile',
    extFile,
  ]);
  return p;
}

export function makeLeaf(ca: Pair, dir: string, host: string): Promise<Pair> {
  return signed(
    ca,
    dir,
    'tls',
    host,
    `basicConstraints=CA:FALSE\nsubjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\n`,
  );
}

export function makeClient(ca: Pair, dir: string, host: string): Promise<Pair> {
  return signed(
    ca,
    dir,
    'client',
    `client.${host}`,
    'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n',
  );
}

/** CertPaths laid out like generate-certs does: certs/ca.crt, certs/<host>/tls.crt|key, client.crt|key. */
export async function makeCertPaths(
  config: WizardConfig,
  stateDir: string,
  caName?: string,
): Promise<CertPaths> {
  const base = path.join(stateDir, 'certs');
  const ca = await makeCa(base, caName);
  const hosts: CertPaths['hosts'] = {};
  await Promise.all(
    config.hosts
      .filter((h) => h.protocol === 'HTTPS')
      .map(async (h) => {
        const dir = path.join(base, h.name);
        const leaf = await makeLeaf(ca, dir, h.name);
        const entry: CertPaths['hosts'][string] = { cert: leaf.cert, key: leaf.key };
        if (h.tls?.mode === 'MUTUAL') {
          const client = await makeClient(ca, dir, h.name);
          entry.clientCert = client.cert;
          entry.clientKey = client.key;
        }
        hosts[h.name] = entry;
      }),
  );
  return { caCert: ca.cert, caKey: ca.key, hosts };
}
