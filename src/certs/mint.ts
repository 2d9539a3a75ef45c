// Minting with `selfsigned` (v5: async, WebCrypto via @peculiar/x509, signs with a given CA and accepts a
// pre-generated key pair). All key generation and signing are async crypto jobs on the libuv threadpool, so
// minting many hosts at once spreads over the cores; the ASN.1 work in between runs on the main thread.
import { createPrivateKey, generateKeyPair, type JsonWebKey, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { KeyType } from '../config/types.js';
import { WizardError } from '../errors.js';
import { keyTypeOf } from './inspect.js';

const generateKeyPairAsync = promisify(generateKeyPair);

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

type Extensions = NonNullable<NonNullable<Parameters<typeof import('selfsigned').generate>[1]>['extensions']>;

/**
 * selfsigned hands `ca.key` and `keyPair.privateKey` straight to crypto.createPrivateKey, which also takes a JWK
 * object. Parsing a PEM goes through OpenSSL 3's decoder (~0.8 ms CPU per call, measured) and selfsigned does it
 * for every certificate; a JWK is read about five times faster. The typings say string, hence the casts.
 */
type KeyInput = { key: JsonWebKey; format: 'jwk' };
const asKeyString = (k: KeyInput) => k as unknown as string;

/**
 * RSA: node:crypto's async generateKeyPair (a threadpool job; concurrent calls use all cores). ECDSA: selfsigned's
 * own WebCrypto generateKey (also a threadpool job), which spares the import of a pre-generated pair.
 */
async function rsaKeyPair(): Promise<{ privateKey: string; publicKey: string }> {
  const pair = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  return {
    privateKey: asKeyString({ key: pair.privateKey.export({ format: 'jwk' }), format: 'jwk' }),
    publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

/** The CA key as selfsigned will take it, parsed once per CA object rather than once per leaf. */
const caInputs = new WeakMap<Pem, { keyType: string; input: KeyInput }>();
function caKeyInput(ca: Pem): { keyType: string; input: KeyInput } {
  let found = caInputs.get(ca);
  if (!found) {
    const key = createPrivateKey(ca.keyPem);
    found = { keyType: keyTypeOf(key), input: { key: key.export({ format: 'jwk' }), format: 'jwk' } };
    caInputs.set(ca, found);
  }
  return found;
}

function dates(opts: MintOptions, days: number): { notBeforeDate: Date; notAfterDate: Date } {
  const now = (opts.now ?? new Date()).getTime();
  let notAfter = now + days * DAY_MS;
  if (opts.notAfterCap) notAfter = Math.min(notAfter, opts.notAfterCap.getTime());
  return { notBeforeDate: new Date(now - CLOCK_SKEW_MS), notAfterDate: new Date(notAfter) };
}

/** Leaf key usage: RSA key exchange needs keyEncipherment; for ECDSA it is meaningless and left out. */
function leafKeyUsage(keyType: KeyType): Extensions[number] {
  return {
    name: 'keyUsage',
    digitalSignature: true,
    keyEncipherment: keyType === 'rsa-2048',
    critical: true,
  };
}

async function sign(commonName: string, extensions: Extensions, opts: MintOptions, days: number, ca?: Pem) {
  const signer = ca ? caKeyInput(ca) : undefined;
  // selfsigned signs with the algorithm family of the new key, so the CA key must be of the same type.
  if (signer && signer.keyType !== opts.keyType) {
    throw new WizardError(`the CA key is not ${opts.keyType}; it cannot sign a ${opts.keyType} certificate`);
  }
  // selfsigned (with its ASN.1 stack) loads on first use: a run that reuses its certificates never needs it.
  // (a CommonJS module: bundled, its exports may sit on `default`)
  const selfsigned = await import('selfsigned');
  const generate = selfsigned.generate ?? (selfsigned as unknown as { default: typeof selfsigned }).default.generate;
  const pems = await generate(
    [
      { name: 'commonName', value: commonName },
      { name: 'organizationName', value: ORG },
    ],
    {
      keyType: opts.keyType === 'rsa-2048' ? 'rsa' : 'ec',
      algorithm: 'sha256', // selfsigned's default is SHA-1
      ...(opts.keyType === 'rsa-2048' ? { keyPair: await rsaKeyPair() } : {}),
      extensions,
      ...dates(opts, days),
      ...(ca && signer ? { ca: { cert: ca.certPem, key: asKeyString(signer.input) } } : {}),
    },
  );
  return { certPem: pems.cert, keyPem: pems.private };
}

function shortCn(cn: string, fallback: string): string {
  return cn.length <= CN_MAX ? cn : fallback;
}

/**
 * A self-signed CA. Its name carries a random suffix so a re-minted CA never shares a name with the one it
 * replaces (chain building matches issuers by name; these certificates carry no key identifiers).
 */
export async function mintCa(opts: MintOptions): Promise<Pem> {
  return sign(
    `${ORG} CA ${randomBytes(4).toString('hex')}`,
    [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
    { ...opts, notAfterCap: undefined },
    Math.max(CA_MIN_DAYS, opts.validityDays * 2),
  );
}

/** A server certificate for `host` (SAN = host, EKU serverAuth), signed by `ca`. */
export async function mintLeaf(ca: Pem, host: string, opts: MintOptions): Promise<Pem> {
  return sign(
    shortCn(host, 'istio-ingress-wizard server'),
    [
      { name: 'basicConstraints', cA: false, critical: true },
      leafKeyUsage(opts.keyType),
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: host }] },
    ],
    opts,
    opts.validityDays,
    ca,
  );
}

/** A client certificate for MUTUAL `host` (CN client.<host>, EKU clientAuth), signed by `ca`. */
export async function mintClient(ca: Pem, host: string, opts: MintOptions): Promise<Pem> {
  return sign(
    shortCn(`client.${host}`, 'istio-ingress-wizard client'),
    [
      { name: 'basicConstraints', cA: false, critical: true },
      leafKeyUsage(opts.keyType),
      { name: 'extKeyUsage', clientAuth: true },
    ],
    opts,
    opts.validityDays,
    ca,
  );
}
