/**
 * The node's throw-away PKI (openssl CLI, EC P-256, 2 days), the same approach as test/control-plane: one CA, the
 * API server's serving certificate (loopback + the `kubernetes` Service IP), one cluster-admin client certificate
 * every component uses (the tier tests the wizard, not the components' least-privilege identities), the kubelet's
 * serving certificate for the node IP (the API server verifies it for exec/logs), and the service-account key pair.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await execFileP('openssl', args, { cwd });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim()}`);
  }
}

function cnf(cn: string, org: string | undefined, ext: string): string {
  return [
    '[req]',
    'distinguished_name = dn',
    'prompt = no',
    '[dn]',
    `CN = ${cn}`,
    ...(org ? [`O = ${org}`] : []),
    '[ext]',
    ext,
    '',
  ].join('\n');
}

const LEAF = 'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment';
let serial = 0;

async function leaf(
  dir: string,
  name: string,
  cn: string,
  org: string | undefined,
  ext: string,
): Promise<void> {
  await writeFile(path.join(dir, `${name}.cnf`), cnf(cn, org, `${LEAF}\n${ext}`));
  await openssl(
    ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`],
    dir,
  );
  await openssl(['req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-config', `${name}.cnf`], dir);
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-set_serial',
      `0x${Date.now().toString(16)}${(++serial).toString(16)}`,
      '-days',
      '2',
      '-sha256',
      '-extfile',
      `${name}.cnf`,
      '-extensions',
      'ext',
      '-out',
      `${name}.crt`,
    ],
    dir,
  );
}

export interface NodePki {
  ca: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  adminCert: string;
  adminKey: string;
  kubeletCert: string;
  kubeletKey: string;
  saKey: string;
  saPub: string;
}

export async function makeNodePki(
  dir: string,
  o: { nodeName: string; nodeIP: string; kubernetesServiceIP: string },
): Promise<NodePki> {
  await writeFile(
    path.join(dir, 'ca.cnf'),
    cnf(
      'wizard-node-ca',
      undefined,
      'basicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign, digitalSignature\nsubjectKeyIdentifier = hash',
    ),
  );
  await openssl(
    ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ca.key'],
    dir,
  );
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
  await Promise.all([
    leaf(
      dir,
      'apiserver',
      'kube-apiserver',
      undefined,
      `extendedKeyUsage = serverAuth\nsubjectAltName = IP:127.0.0.1, IP:${o.kubernetesServiceIP}, DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local`,
    ),
    leaf(dir, 'admin', 'wizard-node-admin', 'system:masters', 'extendedKeyUsage = clientAuth'),
    leaf(
      dir,
      'kubelet',
      `system:node:${o.nodeName}`,
      'system:nodes',
      `extendedKeyUsage = serverAuth\nsubjectAltName = IP:${o.nodeIP}, DNS:${o.nodeName}`,
    ),
    (async () => {
      await openssl(
        ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key'],
        dir,
      );
      await openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
    })(),
  ]);
  const p = (f: string) => path.join(dir, f);
  return {
    ca: p('ca.crt'),
    caKey: p('ca.key'),
    apiserverCert: p('apiserver.crt'),
    apiserverKey: p('apiserver.key'),
    adminCert: p('admin.crt'),
    adminKey: p('admin.key'),
    kubeletCert: p('kubelet.crt'),
    kubeletKey: p('kubelet.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
  };
}
