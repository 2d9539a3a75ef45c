// Bring-your-own certificates: both files readable, a PEM certificate within its validity period, an unencrypted
// PEM key that matches it.
// Key material is read to check it and never copied into a message.
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { resolve } from 'node:path';
import { caAsLeafWarning, coversHost, keyMatches, serverKeyProblem } from '../certs/inspect.js';
import { FileReadError, readTextSync } from '../io/files.js';
import { keyLikeKind, shownValue } from '../secrets/keyLike.js';
import { type ConfigIssue, formatPath, type IssuePath } from './issues.js';

export interface CertCheckResult {
  issues: ConfigIssue[];
  warnings: string[];
}

type Read = { text: string } | { error: string };

function readText(file: string): Read {
  try {
    return { text: readTextSync(file, { kind: 'pem' }) };
  } catch (err) {
    if (err instanceof FileReadError) return { error: err.message };
    throw err;
  }
}

function parseCert(path: string, text: string): X509Certificate | string {
  const file = shownValue(path);
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    return `${file} is not a PEM certificate (expected a -----BEGIN CERTIFICATE----- block)`;
  }
  // The certificate file is copied world-readable and shipped as tls.crt: a key bundled into it would leak.
  if (/-{5}BEGIN [A-Z ]*PRIVATE KEY-{5}/.test(text)) {
    return `${file} also contains a private key; give only certificates here and the key in keyFile`;
  }
  try {
    return new X509Certificate(text);
  } catch {
    return `${file}: the PEM certificate could not be parsed`;
  }
}

function parseKey(path: string, text: string): KeyObject | string {
  const file = shownValue(path);
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

/** Whether `key` belongs to a certificate after the first one in the file: a chain in the wrong order. */
function matchesLaterCert(text: string, key: KeyObject): boolean {
  const blocks = text.match(/-{5}BEGIN CERTIFICATE-{5}[\s\S]+?-{5}END CERTIFICATE-{5}/g) ?? [];
  return blocks.slice(1).some((pem) => {
    try {
      return keyMatches(new X509Certificate(pem), key);
    } catch {
      return false;
    }
  });
}

/**
 * A certificate that does not name the host is a warning (clients will reject it, but the person may know better);
 * the SAN is what counts, as for modern clients and for generate-certs (certs/inspect.ts coversHost).
 */
function coverageWarnings(cert: X509Certificate, host: unknown, at: string, certFile: string): string[] {
  if (typeof host !== 'string' || host === '' || coversHost(cert, host)) return [];
  const names = cert.subjectAltName ?? `no subjectAltName, only ${cert.subject.replace(/\n/g, ', ')}`;
  return [`${at}: ${certFile} does not cover ${host} (it names: ${names}); clients will reject it`];
}

/** A certificate outside its validity period: generate-certs refuses it (certs/provided.ts), so reject it here. */
function validityProblem(cert: X509Certificate, certFile: string): string | undefined {
  const now = Date.now();
  if (Date.parse(cert.validTo) <= now) return `${certFile} expired on ${cert.validTo}`;
  if (Date.parse(cert.validFrom) > now) return `${certFile} is not valid before ${cert.validFrom}`;
  const weak = serverKeyProblem(cert);
  if (weak) return `${certFile} cannot be served: ${weak}`;
  return undefined;
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
  // PEM text pasted where a path belongs must not be echoed back in a "cannot read <path>" message: it may be a key.
  const isPath = (value: unknown, field: 'certFile' | 'keyFile'): value is string => {
    if (typeof value !== 'string' || value === '') return false;
    const kind = keyLikeKind(value);
    if (!kind && !value.includes('\n')) return true;
    issues.push({
      path: [...tlsPath, field],
      message: kind
        ? `must be the path of a PEM file; the value looks like key material (${kind}), so it is not shown`
        : 'must be the path of a PEM file, not the PEM text itself',
    });
    return false;
  };
  const certGiven = isPath(certFile, 'certFile');
  const keyGiven = isPath(keyFile, 'keyFile');
  if (certGiven && keyFile === undefined) {
    issues.push({ path: [...tlsPath, 'keyFile'], message: 'required when certFile is given' });
  }
  if (keyGiven && certFile === undefined) {
    issues.push({ path: [...tlsPath, 'certFile'], message: 'required when keyFile is given' });
  }

  let cert: X509Certificate | undefined;
  let key: KeyObject | undefined;
  const certPath = certGiven ? resolve(configDir, certFile) : '';
  const keyPath = keyGiven ? resolve(configDir, keyFile) : '';
  // Printed names: the config directory's path itself could look like key material.
  const certAbs = shownValue(certPath);
  const keyAbs = shownValue(keyPath);
  let certText = '';
  if (certGiven) {
    const read = readText(certPath);
    if ('text' in read) certText = read.text;
    const parsed = 'text' in read ? parseCert(certPath, read.text) : read.error;
    const problem = typeof parsed === 'string' ? parsed : validityProblem(parsed, certAbs);
    if (problem) issues.push({ path: [...tlsPath, 'certFile'], message: problem });
    if (typeof parsed !== 'string') cert = parsed;
  }
  if (keyGiven) {
    const read = readText(keyPath);
    const parsed = 'text' in read ? parseKey(keyPath, read.text) : read.error;
    if (typeof parsed === 'string') issues.push({ path: [...tlsPath, 'keyFile'], message: parsed });
    else key = parsed;
  }
  if (cert && key && !keyMatches(cert, key)) {
    issues.push(
      matchesLaterCert(certText, key)
        ? {
            path: [...tlsPath, 'certFile'],
            message: `${certAbs} must start with the server certificate (the one for keyFile), then its intermediates`,
          }
        : {
            path: [...tlsPath, 'keyFile'],
            message: `${keyAbs} does not match the certificate in ${certAbs}`,
          },
    );
  }
  const at = formatPath([...tlsPath, 'certFile']);
  const warnings = cert ? coverageWarnings(cert, host, at, certAbs) : [];
  const caLeaf = cert && typeof host === 'string' ? caAsLeafWarning(cert, host) : undefined;
  if (caLeaf) warnings.push(`${at}: ${certAbs} ${caLeaf}`);
  return { issues, warnings };
}
