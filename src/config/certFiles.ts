// Bring-your-own certificates: both files readable, a PEM certificate, an unencrypted PEM key that matches it.
// Key material is read to check it and never copied into a message.
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ConfigIssue, formatPath, type IssuePath } from './issues.js';

export interface CertCheckResult {
  issues: ConfigIssue[];
  warnings: string[];
}

type Read = { text: string } | { error: string };

function readText(file: string): Read {
  try {
    return { text: readFileSync(file, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : (code ?? 'read error');
    return { error: `cannot read ${file}: ${why}` };
  }
}

function parseCert(file: string, text: string): X509Certificate | string {
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    return `${file} is not a PEM certificate (expected a -----BEGIN CERTIFICATE----- block)`;
  }
  try {
    return new X509Certificate(text);
  } catch {
    return `${file}: the PEM certificate could not be parsed`;
  }
}

function parseKey(file: string, text: string): KeyObject | string {
  if (/-{5}BEGIN ENCRYPTED PRIVATE KEY-{5}|Proc-Type: 4,ENCRYPTED/.test(text)) {
    return `${file} is an encrypted private key; the gateway needs it unencrypted`;
  }
  if (!/-{5}BEGIN (RSA |EC )?PRIVATE KEY-{5}/.test(text)) {
    return `${file} is not a PEM private key (expected a PEM block labelled PRIVATE KEY)`;
  }
  try {
    return createPrivateKey(text);
  } catch {
    return `${file}: the PEM private key could not be parsed`;
  }
}

function keyMatches(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false; // e.g. an RSA key against an EC certificate
  }
}

/** Warnings a client would turn into failures: a certificate that does not name the host, or is out of date. */
function coverageWarnings(cert: X509Certificate, host: unknown, at: string, certFile: string): string[] {
  const warnings: string[] = [];
  if (typeof host === 'string' && host !== '') {
    // A wildcard host is served for any one label in its place; test a name from that set.
    const probe = host.startsWith('*.') ? `wizard-probe.${host.slice(2)}` : host;
    if (cert.checkHost(probe) === undefined) {
      const names = cert.subjectAltName ?? cert.subject.replace(/\n/g, ', ');
      warnings.push(`${at}: ${certFile} does not cover ${host} (it names: ${names}); clients will reject it`);
    }
  }
  const now = Date.now();
  if (Date.parse(cert.validTo) < now) warnings.push(`${at}: ${certFile} expired on ${cert.validTo}`);
  if (Date.parse(cert.validFrom) > now)
    warnings.push(`${at}: ${certFile} is not valid before ${cert.validFrom}`);
  return warnings;
}

/** Checks `tls.certFile` / `tls.keyFile` of one host; `tlsPath` is e.g. ['hosts', 0, 'tls']. */
export function checkCertFiles(
  tls: { certFile?: unknown; keyFile?: unknown },
  host: unknown,
  tlsPath: IssuePath,
  configDir: string,
): CertCheckResult {
  const issues: ConfigIssue[] = [];
  const { certFile, keyFile } = tls;
  const certGiven = typeof certFile === 'string' && certFile !== '';
  const keyGiven = typeof keyFile === 'string' && keyFile !== '';
  if (certGiven && keyFile === undefined) {
    issues.push({ path: [...tlsPath, 'keyFile'], message: 'required when certFile is given' });
  }
  if (keyGiven && certFile === undefined) {
    issues.push({ path: [...tlsPath, 'certFile'], message: 'required when keyFile is given' });
  }

  let cert: X509Certificate | undefined;
  let key: KeyObject | undefined;
  const certAbs = certGiven ? resolve(configDir, certFile) : '';
  const keyAbs = keyGiven ? resolve(configDir, keyFile) : '';
  if (certGiven) {
    const read = readText(certAbs);
    const parsed = 'text' in read ? parseCert(certAbs, read.text) : read.error;
    if (typeof parsed === 'string') issues.push({ path: [...tlsPath, 'certFile'], message: parsed });
    else cert = parsed;
  }
  if (keyGiven) {
    const read = readText(keyAbs);
    const parsed = 'text' in read ? parseKey(keyAbs, read.text) : read.error;
    if (typeof parsed === 'string') issues.push({ path: [...tlsPath, 'keyFile'], message: parsed });
    else key = parsed;
  }
  if (cert && key && !keyMatches(cert, key)) {
    issues.push({
      path: [...tlsPath, 'keyFile'],
      message: `${keyAbs} does not match the certificate in ${certAbs}`,
    });
  }
  const warnings = cert ? coverageWarnings(cert, host, formatPath([...tlsPath, 'certFile']), certAbs) : [];
  return { issues, warnings };
}
