// Bring-your-own certificates (hosts[].tls.certFile/keyFile): used as given, after checking they can work at all.
import type { HostConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { FileReadError, readText } from '../io/files.js';
import { shownValue } from '../secrets/keyLike.js';
import {
  caAsLeafWarning,
  coversHost,
  keyMatches,
  parseCert,
  parseKey,
  serverKeyProblem,
  validity,
} from './inspect.js';

export interface ProvidedMaterial {
  certPem: string;
  keyPem: string;
  /** Problems that do not stop the run but will likely make the host fail verification. */
  warnings: string[];
}

async function readField(path: string, field: string): Promise<string> {
  try {
    return await readText(path, { kind: 'pem' });
  } catch (err) {
    if (err instanceof FileReadError) throw new UsageError(`${field}: ${err.message}`);
    throw err;
  }
}

/** True when the host brings its own certificate (the validated config requires both files or neither). */
export function isProvided(host: HostConfig): boolean {
  return Boolean(host.tls?.certFile && host.tls?.keyFile);
}

/**
 * Reads and checks the provided PEMs for hosts[index]. A missing file, something that is not a certificate or an
 * unencrypted private key, a key that does not belong to the certificate, or a certificate outside its validity
 * period is a usage error naming the field; a certificate whose SAN does not cover the host is only a warning.
 */
export async function readProvided(host: HostConfig, index: number, now: Date): Promise<ProvidedMaterial> {
  const certField = `hosts[${index}].tls.certFile`;
  const keyField = `hosts[${index}].tls.keyFile`;
  const certPath = host.tls?.certFile;
  const keyPath = host.tls?.keyFile;
  if (!certPath || !keyPath) throw new UsageError(`hosts[${index}].tls: certFile and keyFile go together`);
  const certPem = await readField(certPath, certField);
  const keyPem = await readField(keyPath, keyField);
  const certFile = shownValue(certPath);
  const keyFile = shownValue(keyPath);
  let cert: ReturnType<typeof parseCert>;
  try {
    cert = parseCert(certPem);
  } catch {
    throw new UsageError(`${certField}: ${certFile} is not a PEM certificate`);
  }
  let key: ReturnType<typeof parseKey>;
  try {
    key = parseKey(keyPem);
  } catch {
    throw new UsageError(`${keyField}: ${keyFile} is not an unencrypted PEM private key`);
  }
  if (!keyMatches(cert, key)) {
    throw new UsageError(
      `${keyField}: the key in ${keyFile} does not belong to the certificate in ${certFile}`,
    );
  }
  const { notBefore, notAfter } = validity(cert);
  if (notAfter.getTime() <= now.getTime()) {
    throw new UsageError(`${certField}: the certificate in ${certFile} expired on ${notAfter.toISOString()}`);
  }
  if (notBefore.getTime() > now.getTime()) {
    throw new UsageError(
      `${certField}: the certificate in ${certFile} is not valid before ${notBefore.toISOString()}`,
    );
  }
  const weak = serverKeyProblem(cert);
  if (weak) throw new UsageError(`${certField}: the certificate in ${certFile} cannot be served: ${weak}`);
  const warnings: string[] = [];
  const caLeaf = caAsLeafWarning(cert, host.name);
  if (caLeaf) warnings.push(`${certField}: the certificate in ${certFile} ${caLeaf}`);
  if (!coversHost(cert, host.name)) {
    warnings.push(`${certField}: the certificate's subjectAltName does not cover ${host.name}`);
  }
  return { certPem, keyPem, warnings };
}
