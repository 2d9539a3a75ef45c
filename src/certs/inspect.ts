// Reading certificates back with node:crypto's X509Certificate: the facts the reuse decision is made from.
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import type { KeyType } from '../config/types.js';

export const EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

const DAY_MS = 24 * 60 * 60 * 1000;

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * Parses the first certificate of a PEM file: X509Certificate rejects a whole chain, and provided files often
 * carry one after the leaf. Throws on anything that is not a certificate.
 */
export function parseCert(pem: string | Buffer): X509Certificate {
  const first = PEM_CERT.exec(pem.toString())?.[0];
  if (!first) throw new Error('no PEM certificate found');
  return new X509Certificate(first);
}

/** Throws on a missing, malformed or passphrase-protected key. */
export function parseKey(pem: string | Buffer): KeyObject {
  return createPrivateKey(pem);
}

/** 'ecdsa-p256' | 'rsa-2048' when the key is one the wizard mints, else a descriptive name like 'rsa-4096'. */
export function keyTypeOf(key: KeyObject): KeyType | string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    return details.namedCurve === 'prime256v1' ? 'ecdsa-p256' : `ec-${details.namedCurve ?? 'unknown'}`;
  }
  if (key.asymmetricKeyType === 'rsa') return `rsa-${details.modulusLength ?? 'unknown'}`;
  return key.asymmetricKeyType ?? 'unknown';
}

export function validity(cert: X509Certificate): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo) };
}

/**
 * Still usable at `now` with a safety margin: at least `minRemainingMs` left, and at least `fraction` of the
 * certificate's whole lifetime (so a 30-day cert is renewed 3 days before it expires, a 1-year one 36 days before).
 */
export function validFor(cert: X509Certificate, now: Date, minRemainingMs = DAY_MS, fraction = 0): boolean {
  const { notBefore, notAfter } = validity(cert);
  const lifetime = notAfter.getTime() - notBefore.getTime();
  const remaining = notAfter.getTime() - now.getTime();
  return notBefore.getTime() <= now.getTime() && remaining > Math.max(minRemainingMs, lifetime * fraction);
}

/** DNS names from the subjectAltName extension. */
export function dnsSans(cert: X509Certificate): string[] {
  const san = cert.subjectAltName;
  if (!san) return [];
  return san
    .split(/,\s*/)
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4).replace(/^"|"$/g, '').toLowerCase());
}

/**
 * Whether the SAN covers `host`: a concrete host by the usual matching rules (wildcards included, the subject CN
 * ignored as modern clients do); a wildcard host only by the same wildcard entry.
 */
export function coversHost(cert: X509Certificate, host: string): boolean {
  const name = host.toLowerCase();
  if (name.startsWith('*.')) return dnsSans(cert).includes(name);
  return cert.checkHost(name, { subject: 'never' }) !== undefined;
}

/** Issued by `ca`: names chain up and the signature verifies with the CA's public key. */
export function issuedBy(cert: X509Certificate, ca: X509Certificate): boolean {
  try {
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

export function keyMatches(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}

export function hasEku(cert: X509Certificate, oid: string): boolean {
  return (cert.keyUsage ?? []).includes(oid);
}

/** The self-signed CA check: a CA certificate that verifies with its own key. */
export function isSelfSignedCa(cert: X509Certificate): boolean {
  return cert.ca && issuedBy(cert, cert);
}

/**
 * Why the ingress gateway cannot serve this certificate, or undefined when it can. Envoy loads only RSA keys of at
 * least 2048 bits and ECDSA keys on P-256 or P-384 for a server certificate; anything else (RSA-1024, Ed25519, other
 * curves) makes the listener fail to load, so the host would serve nothing at all.
 */
export function serverKeyProblem(cert: X509Certificate): string | undefined {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const allowed =
    'the Istio ingress gateway (Envoy) serves only RSA keys of 2048 bits or more and ECDSA P-256 or P-384';
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    const bits = details.modulusLength ?? 0;
    return bits >= 2048 ? undefined : `its key is RSA-${bits}, too weak: ${allowed}`;
  }
  if (key.asymmetricKeyType === 'ec') {
    return details.namedCurve === 'prime256v1' || details.namedCurve === 'secp384r1'
      ? undefined
      : `its key is ECDSA on ${details.namedCurve ?? 'an unknown curve'}: ${allowed}`;
  }
  return `its key is ${key.asymmetricKeyType ?? 'of an unknown type'}: ${allowed}`;
}

/**
 * A CA certificate (basicConstraints CA:TRUE) that does not name the host: the CA's own certificate given where the
 * host's belongs. (A self-signed certificate made with `openssl req -x509` is CA:TRUE too, but names its host and
 * works with `curl --cacert` it: no warning for that one.)
 */
export function caAsLeafWarning(cert: X509Certificate, host: string): string | undefined {
  return cert.ca && !coversHost(cert, host)
    ? 'is a CA certificate (basicConstraints CA:TRUE) that does not name the host: it looks like the CA itself, not a certificate issued for the host; clients will reject it'
    : undefined;
}
