// What a run of generate-certs would do, decided from the files already in the state directory (read-only, so the
// step's plan() can show it). Reuse is preferred: a new CA breaks everything that trusts the old one.
//
// certs.keyType applies to the CA only when it is minted: a keyType change re-mints the leaves with the new key
// type, but keeps a still-valid CA (an ECDSA CA signs RSA leaves just as well), so what trusts it keeps working.
import type { X509Certificate } from 'node:crypto';
import { type HostConfig, KEY_TYPES, type KeyType, type WizardConfig } from '../config/types.js';
import type { CertPaths } from '../steps/types.js';
import {
  coversHost,
  EKU_CLIENT_AUTH,
  EKU_SERVER_AUTH,
  hasEku,
  isSelfSignedCa,
  issuedBy,
  keyMatches,
  keyTypeOf,
  parseCert,
  parseKey,
  validFor,
} from './inspect.js';
import { isProvided, readProvided } from './provided.js';
import { certPaths, checkCertDirs, httpsHosts, isMutual, readIfExists, readKeyIfExists } from './store.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const SUPPORTED: readonly string[] = KEY_TYPES;
const isSupportedKey = (key: Loaded['key']) => SUPPORTED.includes(keyTypeOf(key));
/** Leaves are renewed when less than this share of their lifetime (and less than a day) is left. */
const RENEW_FRACTION = 0.1;

export interface Decision<A extends string> {
  action: A;
  /** Why, for a person: 'valid until …', 'missing', 'signed by another CA', … */
  reason: string;
}

export interface HostDecision {
  host: HostConfig;
  /** Position in config.hosts, for error messages naming the field. */
  index: number;
  server: Decision<'reuse' | 'mint' | 'provide'>;
  /** MUTUAL hosts only. */
  client?: Decision<'reuse' | 'mint'>;
  warnings: string[];
}

export interface CertDecisions {
  paths: CertPaths;
  ca: Decision<'reuse' | 'mint'>;
  hosts: HostDecision[];
}

interface Loaded {
  cert: X509Certificate;
  key: ReturnType<typeof parseKey>;
}

/** Parses a cert/key pair from disk; a reason string when it is missing or unreadable. */
async function load(certPath: string, keyPath: string): Promise<Loaded | string> {
  const [certPem, keyPem] = await Promise.all([readIfExists(certPath), readKeyIfExists(keyPath)]);
  if (certPem === undefined || keyPem === undefined) return 'missing';
  try {
    return { cert: parseCert(certPem), key: parseKey(keyPem) };
  } catch {
    return 'unreadable';
  }
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function untilReason(cert: X509Certificate): string {
  return `valid until ${day(new Date(cert.validTo))}`;
}

/** Why the CA on disk cannot be reused, or undefined when it can. Its key type may differ from certs.keyType. */
function caProblem(found: Loaded, now: Date): string | undefined {
  const { cert, key } = found;
  if (!isSelfSignedCa(cert)) return 'not a self-signed CA certificate';
  if (!keyMatches(cert, key)) return 'key does not match';
  if (!isSupportedKey(key)) return `unsupported CA key type ${keyTypeOf(key)}`;
  if (!validFor(cert, now, DAY_MS)) return `expired or expiring (${day(new Date(cert.validTo))})`;
  return undefined;
}

/** Why a leaf on disk cannot be reused, or undefined when it can. `host` is checked against the SAN if given. */
function leafProblem(
  found: Loaded,
  ca: X509Certificate,
  eku: string,
  keyType: KeyType,
  now: Date,
  host?: string,
): string | undefined {
  const { cert, key } = found;
  if (!issuedBy(cert, ca)) return 'signed by another CA';
  if (!keyMatches(cert, key)) return 'key does not match';
  const actual = keyTypeOf(key);
  if (actual !== keyType) return `key type changed (${actual} → ${keyType})`;
  if (!hasEku(cert, eku)) return 'wrong extended key usage';
  if (host !== undefined && !coversHost(cert, host)) return `subjectAltName does not cover ${host}`;
  if (!validFor(cert, now, DAY_MS, RENEW_FRACTION))
    return `expired or expiring (${day(new Date(cert.validTo))})`;
  return undefined;
}

async function decideLeaf(
  certPath: string,
  keyPath: string,
  ca: X509Certificate | undefined,
  eku: string,
  keyType: KeyType,
  now: Date,
  host?: string,
): Promise<Decision<'reuse' | 'mint'>> {
  if (!ca) return { action: 'mint', reason: 'new CA' };
  const found = await load(certPath, keyPath);
  if (typeof found === 'string') return { action: 'mint', reason: found };
  const problem = leafProblem(found, ca, eku, keyType, now, host);
  return problem ? { action: 'mint', reason: problem } : { action: 'reuse', reason: untilReason(found.cert) };
}

export async function decideCerts(config: WizardConfig, stateDir: string, now: Date): Promise<CertDecisions> {
  const paths = certPaths(stateDir, config.hosts);
  const { keyType } = config.certs;
  // Before any key is read: no directory on the way may be a link, another user's, or open to others.
  await checkCertDirs(paths);

  const foundCa = await load(paths.caCert, paths.caKey);
  const caIssue = typeof foundCa === 'string' ? foundCa : caProblem(foundCa, now);
  // Leaves are checked against the CA that will be in place after this run: none yet, if it is to be minted.
  const ca = caIssue === undefined && typeof foundCa !== 'string' ? foundCa.cert : undefined;
  const caDecision: Decision<'reuse' | 'mint'> = ca
    ? { action: 'reuse', reason: untilReason(ca) }
    : { action: 'mint', reason: caIssue ?? 'missing' };

  const https = new Set(httpsHosts(config.hosts));
  const hosts = await Promise.all(
    config.hosts.flatMap((host, index) => {
      if (!https.has(host)) return [];
      const p = paths.hosts[host.name];
      if (!p) return [];
      return [
        (async (): Promise<HostDecision> => {
          const warnings: string[] = [];
          let server: HostDecision['server'];
          if (isProvided(host)) {
            const provided = await readProvided(host, index, now);
            warnings.push(...provided.warnings);
            server = { action: 'provide', reason: `from ${host.tls?.certFile}` };
          } else {
            server = await decideLeaf(p.cert, p.key, ca, EKU_SERVER_AUTH, keyType, now, host.name);
          }
          const client =
            isMutual(host) && p.clientCert && p.clientKey
              ? await decideLeaf(p.clientCert, p.clientKey, ca, EKU_CLIENT_AUTH, keyType, now)
              : undefined;
          return { host, index, server, ...(client ? { client } : {}), warnings };
        })(),
      ];
    }),
  );
  return { paths, ca: caDecision, hosts };
}
