/**
 * Throw-away test PKI with the openssl CLI (EC P-256, 2 days): the API servers' (test/control-plane, the stack's
 * node) and the gateway's workload certificate (test/stack/istio). A minimal explicit config per certificate, so the
 * distro's openssl.cnf defaults never leak in. The wizard's own certificates are made by src/certs, not here.
 */
import { execFile } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await execFileP('openssl', args, { cwd });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim()}`);
  }
}

/** The leaf certificates' constraints (what every extension block below starts with). */
export const LEAF =
  'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment';

function reqConfig(subject: { cn?: string; org?: string }, ext: string): string {
  return [
    '[req]',
    'distinguished_name = dn',
    'prompt = no',
    '[dn]',
    ...(subject.cn ? [`CN = ${subject.cn}`] : []),
    ...(subject.org ? [`O = ${subject.org}`] : []),
    '[ext]',
    ext,
    '',
  ].join('\n');
}

async function ecKey(file: string, cwd: string): Promise<void> {
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file], cwd);
  await chmod(path.join(cwd, file), 0o600);
}

/** A self-signed CA in `dir`: ca.key and ca.crt. */
export async function makeCa(dir: string, cn: string): Promise<void> {
  await writeFile(
    path.join(dir, 'ca.cnf'),
    reqConfig(
      { cn },
      'basicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign, digitalSignature\nsubjectKeyIdentifier = hash',
    ),
  );
  await ecKey('ca.key', dir);
  await openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-days',
      '2',
      '-sha256',
      '-config',
      'ca.cnf',
      '-extensions',
      'ext',
      '-out',
      'ca.crt',
    ],
    dir,
  );
}

let serial = 0;

/**
 * `${name}.key` and `${name}.crt` in `dir`, signed by the CA there (ca.crt/ca.key unless `ca` names other files);
 * `ext` is the whole extension block (start it with LEAF).
 */
export async function issueCert(
  dir: string,
  name: string,
  subject: { cn?: string; org?: string },
  ext: string,
  ca: { cert: string; key: string } = { cert: 'ca.crt', key: 'ca.key' },
): Promise<void> {
  const cnf = `${name}.cnf`;
  await writeFile(path.join(dir, cnf), reqConfig(subject, ext));
  await ecKey(`${name}.key`, dir);
  await openssl(['req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-config', cnf], dir);
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-set_serial',
      `0x${Date.now().toString(16)}${(++serial).toString(16)}`,
      '-days',
      '2',
      '-sha256',
      '-extfile',
      cnf,
      '-extensions',
      'ext',
      '-out',
      `${name}.crt`,
    ],
    dir,
  );
}

/** A service-account token signing key pair, sa.key and sa.pub (RSA: the most widely supported). */
export async function makeServiceAccountKeys(dir: string): Promise<void> {
  await openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key'], dir);
  await openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
}

/** A self-signed certificate for `host` (`${name}.crt`, `${name}.key` in `dir`), as a bring-your-own one would be. */
export async function selfSignedCert(
  dir: string,
  name: string,
  host: string,
): Promise<{ cert: string; key: string }> {
  await openssl(
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2'].concat(
      ['-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`],
      ['-keyout', `${name}.key`, '-out', `${name}.crt`],
    ),
    dir,
  );
  await chmod(path.join(dir, `${name}.key`), 0o600);
  return { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
}
