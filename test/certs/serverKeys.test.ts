// Bring-your-own certificates the ingress gateway cannot serve, or that are not what they seem: Envoy loads only RSA
// of 2048 bits or more and ECDSA P-256/P-384 for a server certificate, so RSA-1024, Ed25519 and P-521 are refused
// naming the field, the file and why; a CA certificate given as the host's own is a warning with the reason.
// Real keys and certificates made by openssl at test time.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { runHostile, sandbox } from '../support/hostile.js';

function pair(dir: string, newkey: string[], ext: string[]): { cert: string; key: string } {
  const key = join(dir, 'k.pem');
  const cert = join(dir, 'c.pem');
  execFileSync('openssl', ['genpkey', ...newkey, '-out', key], { stdio: 'pipe' });
  execFileSync(
    'openssl',
    ['req', '-x509', '-new', '-key', key, '-out', cert, '-days', '30', '-subj', '/CN=a.example.com', ...ext],
    { stdio: 'pipe' },
  );
  return { cert, key };
}

const SAN = ['-addext', 'subjectAltName=DNS:a.example.com'];
const cases: [string, string[], string[], number, (string | RegExp)[]][] = [
  [
    'RSA-1024',
    ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
    SAN,
    2,
    ['its key is RSA-1024, too weak'],
  ],
  ['Ed25519', ['-algorithm', 'ED25519'], SAN, 2, ['its key is ed25519']],
  [
    'ECDSA P-521',
    ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
    SAN,
    2,
    ['ECDSA on secp521r1'],
  ],
  [
    'a CA certificate that does not name the host',
    ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    ['-addext', 'basicConstraints=critical,CA:TRUE', '-subj', '/CN=My Root CA'],
    0,
    ['warning: hosts[0].tls.certFile', 'is a CA certificate (basicConstraints CA:TRUE)'],
  ],
];

describe('certificates the gateway cannot serve', () => {
  it.each(cases)('%s', async (_name, newkey, ext, code, stderr) => {
    const box = sandbox();
    const { cert, key } = pair(box.root, newkey, ext);
    const config = join(box.root, 'w.yaml');
    writeFileSync(
      config,
      `hosts:\n  - { name: a.example.com, protocol: HTTPS, route: v1, tls: { certFile: ${cert}, keyFile: ${key} } }\n`,
    );
    const reason = code === 2 ? ['hosts[0].tls.certFile', cert, 'Envoy'] : [];
    await runHostile(box, ['--dry-run', '--yes', '--config', config], {
      code,
      stderr: [...reason, ...stderr],
    });
  });
});
