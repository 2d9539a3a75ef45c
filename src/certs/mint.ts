// Minting with node:crypto alone (keys from generateKeyPair, DER from x509.ts, signatures from crypto.sign). Keys
// and signatures are threadpool jobs, so concurrent mints use every core.
//
// Why not `selfsigned` (v5.5, the library first asked for; it does do ECDSA and CA-signed leaves):
// - it can only emit basicConstraints, keyUsage, extKeyUsage and subjectAltName (others are dropped with a
//   warning), so its CA has no subjectKeyIdentifier and its leaves no authorityKeyIdentifier: strict verifiers
//   reject the chain (`openssl verify -x509_strict`: "Missing Subject Key Identifier"; Python ≥ 3.13 clients
//   verify strictly by default);
// - it re-parses the CA and verifies the chain with JavaScript ASN.1 for every leaf: 28 ms of CPU per ECDSA leaf
//   against 11 ms for one openssl process per leaf, where the target is to beat openssl (bench/certs.mjs measures
//   all three; this code: 3 ms, CA and file writes included).
import { createPrivateKey, type KeyObject, randomBytes, X509Certificate } from 'node:crypto';
import type { KeyType } from '../config/types.js';
import { subjectDer } from './der.js';
import { KU, name, newKeyPair, writeCert } from './x509.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Backdate notBefore so a cluster whose clock is a little behind still accepts a certificate minted just now. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
/** The CA outlives its leaves: 10 years, or twice the leaf validity if that is longer. */
const CA_MIN_DAYS = 3650;
/** X.520 upper bound for a commonName; longer host names live in the SAN only. */
const CN_MAX = 64;
const ORG = 'istio-ingress-wizard';

export interface Pem {
  certPem: string;
  keyPem: string;
}

export interface MintOptions {
  keyType: KeyType;
  validityDays: number;
  now?: Date;
  /** Leaves never outlive their CA: notAfter is clamped to this (the CA's notAfter). */
  notAfterCap?: Date;
}

function dates(opts: MintOptions, days: number): { notBefore: Date; notAfter: Date } {
  const now = (opts.now ?? new Date()).getTime();
  let notAfter = now + days * DAY_MS;
  if (opts.notAfterCap) notAfter = Math.min(notAfter, opts.notAfterCap.getTime());
  return { notBefore: new Date(now - CLOCK_SKEW_MS), notAfter: new Date(notAfter) };
}

function shortCn(cn: string, fallback: string): string {
  return cn.length <= CN_MAX ? cn : fallback;
}

/** The CA's name, public key and private key, parsed once per CA object rather than once per leaf. */
interface Signer {
  subject: Buffer;
  spki: Buffer;
  key: KeyObject;
}
const signers = new WeakMap<Pem, Signer>();
function signer(ca: Pem): Signer {
  let found = signers.get(ca);
  if (!found) {
    const cert = new X509Certificate(ca.certPem);
    const key = createPrivateKey(ca.keyPem);
    found = {
      subject: subjectDer(cert.raw),
      spki: cert.publicKey.export({ type: 'spki', format: 'der' }),
      key,
    };
    signers.set(ca, found);
  }
  return found;
}

/**
 * A self-signed CA. Its name carries a random suffix so a re-minted CA never shares a name with the one it
 * replaces (a client still holding the old one then fails clearly instead of mismatching keys).
 */
export async function mintCa(opts: MintOptions): Promise<Pem> {
  const pair = await newKeyPair(opts.keyType);
  const subject = name(`${ORG} CA ${randomBytes(4).toString('hex')}`, ORG);
  const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
  const certPem = await writeCert({
    subject,
    issuer: subject,
    ...dates({ ...opts, notAfterCap: undefined }, Math.max(CA_MIN_DAYS, opts.validityDays * 2)),
    spki,
    issuerSpki: spki,
    ca: true,
    keyUsage: [KU.digitalSignature, KU.keyCertSign, KU.cRLSign],
    signingKey: pair.privateKey,
  });
  return { certPem, keyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

async function mintSigned(
  ca: Pem,
  cn: string,
  opts: MintOptions,
  usage: 'serverAuth' | 'clientAuth',
  dnsNames: string[],
): Promise<Pem> {
  // The CA's own key type decides the signature algorithm (x509.ts); it need not match the leaf's.
  const s = signer(ca);
  const pair = await newKeyPair(opts.keyType);
  const certPem = await writeCert({
    subject: name(cn, ORG),
    issuer: s.subject,
    ...dates(opts, opts.validityDays),
    spki: pair.publicKey.export({ type: 'spki', format: 'der' }),
    issuerSpki: s.spki,
    ca: false,
    // keyEncipherment only where it means something: RSA key transport.
    keyUsage: opts.keyType === 'rsa-2048' ? [KU.digitalSignature, KU.keyEncipherment] : [KU.digitalSignature],
    extKeyUsage: [usage],
    dnsNames,
    signingKey: s.key,
  });
  return { certPem, keyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

/** A server certificate for `host` (SAN = host, EKU serverAuth), signed by `ca`. */
export function mintLeaf(ca: Pem, host: string, opts: MintOptions): Promise<Pem> {
  return mintSigned(ca, shortCn(host, `${ORG} server`), opts, 'serverAuth', [host]);
}

/** A client certificate for MUTUAL `host` (CN client.<host>, EKU clientAuth, no SAN), signed by `ca`. */
export function mintClient(ca: Pem, host: string, opts: MintOptions): Promise<Pem> {
  return mintSigned(ca, shortCn(`client.${host}`, `${ORG} client`), opts, 'clientAuth', []);
}
