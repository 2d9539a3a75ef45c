// Writing an X.509 v3 certificate with node:crypto alone: DER from der.ts, keys from generateKeyPair, the
// signature from crypto.sign. Both are async jobs on the libuv threadpool, so concurrent calls use every core;
// nothing here parses ASN.1 with JavaScript schemas, which is what makes a JS certificate library slow
// (bench/certs.mjs, ECDSA, cold process, CPU per leaf: selfsigned 28 ms, one openssl process 11 ms, this 3 ms
// including the CA and the file writes).
import { createHash, generateKeyPair, type KeyObject, randomBytes, sign } from 'node:crypto';
import { promisify } from 'node:util';
import type { KeyType } from '../config/types.js';
import {
  bits,
  bool,
  explicit,
  octets,
  oid,
  readTlv,
  seq,
  set,
  smallInt,
  time,
  tlv,
  uint,
  utf8,
} from './der.js';

const generateKeyPairAsync = promisify(generateKeyPair);
const signAsync = promisify(sign);

const OID = {
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
} as const;

/** keyUsage bits, numbered as in RFC 5280 4.2.1.3. */
export const KU = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;

export async function newKeyPair(keyType: KeyType): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return keyType === 'rsa-2048'
    ? generateKeyPairAsync('rsa', { modulusLength: 2048 })
    : generateKeyPairAsync('ec', { namedCurve: 'P-256' });
}

export function name(cn: string, org: string): Buffer {
  const rdn = (type: string, value: string) => set(seq(oid(type), utf8(value)));
  return seq(rdn(OID.commonName, cn), rdn(OID.organizationName, org));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

/** keyUsage as a DER BIT STRING: trailing zero bits dropped, as DER requires for named bit lists. */
function keyUsageBits(flags: number[]): Buffer {
  const highest = Math.max(...flags);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const f of flags) bytes[Math.floor(f / 8)] = (bytes[Math.floor(f / 8)] ?? 0) | (0x80 >> (f % 8));
  return bits(bytes, 7 - (highest % 8));
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's bits (what openssl's `hash` uses). */
export function keyId(spkiDer: Buffer): Buffer {
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
  const spki = readTlv(spkiDer, 0);
  const algorithm = readTlv(spkiDer, spki.body);
  const key = readTlv(spkiDer, algorithm.end);
  return createHash('sha1')
    .update(spkiDer.subarray(key.body + 1, key.end)) // skip the unused-bits byte
    .digest();
}

export interface CertSpec {
  subject: Buffer;
  issuer: Buffer;
  notBefore: Date;
  notAfter: Date;
  /** DER SubjectPublicKeyInfo of the certified key. */
  spki: Buffer;
  /** DER SubjectPublicKeyInfo of the signing key (for the authority key identifier). */
  issuerSpki: Buffer;
  ca: boolean;
  keyUsage: number[];
  extKeyUsage?: ('serverAuth' | 'clientAuth')[];
  dnsNames?: string[];
  signingKey: KeyObject;
}

export async function writeCert(spec: CertSpec): Promise<string> {
  const rsa = spec.signingKey.asymmetricKeyType === 'rsa';
  const sigAlg = rsa
    ? seq(oid(OID.sha256WithRsa), tlv(0x05, Buffer.alloc(0)))
    : seq(oid(OID.ecdsaWithSha256));
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40; // positive, and exactly 16 bytes (RFC 5280: at most 20)

  const exts = [
    extension(OID.basicConstraints, true, spec.ca ? seq(bool(true), smallInt(0)) : seq()),
    extension(OID.keyUsage, true, keyUsageBits(spec.keyUsage)),
    ...(spec.extKeyUsage?.length
      ? [extension(OID.extKeyUsage, false, seq(...spec.extKeyUsage.map((u) => oid(OID[u]))))]
      : []),
    ...(spec.dnsNames?.length
      ? [
          extension(
            OID.subjectAltName,
            false,
            seq(...spec.dnsNames.map((n) => tlv(0x82, Buffer.from(n, 'ascii')))),
          ),
        ]
      : []),
    extension(OID.subjectKeyIdentifier, false, octets(keyId(spec.spki))),
    extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, keyId(spec.issuerSpki)))),
  ];
  const tbs = seq(
    explicit(0, smallInt(2)), // v3
    uint(serial),
    sigAlg,
    spec.issuer,
    seq(time(spec.notBefore), time(spec.notAfter)),
    spec.subject,
    spec.spki,
    explicit(3, seq(...exts)),
  );
  const signature = await signAsync('sha256', tbs, spec.signingKey);
  const der = seq(tbs, sigAlg, bits(signature));
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`;
}
