// Bring-your-own certificates (hosts[].tls.certFile/keyFile): used as given, after checking they can work at all.
import { readFile } from 'node:fs/promises';
import type { HostConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { coversHost, keyMatches, parseCert, parseKey, validity } from './inspect.js';

export interface ProvidedMaterial {
  certPem: string;
  keyPem: string;
  /** Problems that do not stop the run but will likely make the host fail verification. */
  warnings: string[];
}

async function readField(path: string, field: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`${field}: cannot read ${path} (${code})`);
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
  const certFile = host.tls?.certFile;
  const keyFile = host.tls?.keyFile;
  if (!certFile || !keyFile) throw new UsageError(`hosts[${index}].tls: certFile and keyFile go together`);
  const certPem = await readField(certFile, certField);
  const keyPem = await readField(keyFile, keyField);
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
  const warnings: string[] = [];
  if (!coversHost(cert, host.name)) {
    warnings.push(`${certField}: the certificate's subjectAltName does not cover ${host.name}`);
  }
  return { certPem, keyPem, warnings };
}
