// generate-certs' work: one CA, one server certificate per HTTPS host, a client certificate per MUTUAL host —
// reusing whatever on disk is still good (see decide.ts), minting the rest concurrently.
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WizardConfig } from '../config/types.js';
import { WizardError } from '../errors.js';
import { mapLimit } from '../lib/async.js';
import type { CertBundle } from '../manifests/types.js';
import type { CertPaths } from '../steps/types.js';
import { type CertDecisions, decideCerts, type HostDecision } from './decide.js';
import { parseCert } from './inspect.js';
import { type MintOptions, mintCa, mintClient, mintLeaf, type Pem } from './mint.js';
import { readProvided } from './provided.js';
import {
  CERT_MODE,
  certsDir,
  DIR_MODE,
  ensurePrivateDir,
  httpsHosts,
  KEY_MODE,
  readIfExists,
  writeFileAtomic,
} from './store.js';

export type HostOutcome = 'reused' | 'minted' | 'provided';

export interface EnsureResult {
  paths: CertPaths;
  outcome: Record<string, HostOutcome>;
  caOutcome: 'reused' | 'minted';
}

export interface EnsureOptions {
  now?: Date;
  log?: (line: string) => void;
  /** How many hosts are minted at once (default 32); RSA key generation is bounded by the threadpool anyway. */
  concurrency?: number;
}

async function readPair(certPath: string, keyPath: string): Promise<Pem> {
  const [certPem, keyPem] = await Promise.all([readIfExists(certPath), readIfExists(keyPath)]);
  if (certPem === undefined || keyPem === undefined) {
    throw new WizardError(`certificate files disappeared while generating: ${certPath}`);
  }
  return { certPem, keyPem };
}

/** Key first: if the process dies in between, the next run sees a cert/key mismatch and mints again. */
async function writePair(certPath: string, keyPath: string, pem: Pem): Promise<void> {
  await ensurePrivateDir(dirname(certPath));
  await writeFileAtomic(keyPath, pem.keyPem, KEY_MODE);
  await writeFileAtomic(certPath, pem.certPem, CERT_MODE);
}

/** A reused key keeps its bytes, but never looser permissions than 0600. */
async function tightenKey(keyPath: string): Promise<void> {
  const st = await stat(keyPath);
  if ((st.mode & 0o777) !== KEY_MODE) await chmod(keyPath, KEY_MODE);
}

/** Provided PEMs are copied in (only when they changed, so a re-run leaves the files untouched). */
async function copyProvided(certPath: string, keyPath: string, pem: Pem): Promise<void> {
  const [oldCert, oldKey] = await Promise.all([readIfExists(certPath), readIfExists(keyPath)]);
  await ensurePrivateDir(dirname(certPath));
  if (oldKey !== pem.keyPem) await writeFileAtomic(keyPath, pem.keyPem, KEY_MODE);
  else await tightenKey(keyPath);
  if (oldCert !== pem.certPem) await writeFileAtomic(certPath, pem.certPem, CERT_MODE);
}

async function ensureHost(
  d: HostDecision,
  paths: CertPaths,
  ca: Pem,
  mintOpts: MintOptions,
  now: Date,
): Promise<{ outcome: HostOutcome; line: string }> {
  const name = d.host.name;
  const p = paths.hosts[name];
  if (!p) throw new WizardError(`no certificate paths for host ${name}`);
  const parts: string[] = [];

  let outcome: HostOutcome;
  if (d.server.action === 'provide') {
    await copyProvided(p.cert, p.key, await readProvided(d.host, d.index, now));
    outcome = 'provided';
    parts.push(`provided certificate ${d.server.reason}`);
  } else if (d.server.action === 'mint') {
    await writePair(p.cert, p.key, await mintLeaf(ca, name, mintOpts));
    outcome = 'minted';
    parts.push(`minted ${mintOpts.keyType} certificate (${d.server.reason})`);
  } else {
    await tightenKey(p.key);
    outcome = 'reused';
    parts.push(`reused certificate, ${d.server.reason}`);
  }

  if (d.client && p.clientCert && p.clientKey) {
    if (d.client.action === 'mint') {
      await writePair(p.clientCert, p.clientKey, await mintClient(ca, name, mintOpts));
      if (outcome === 'reused') outcome = 'minted';
      parts.push(`minted client certificate (${d.client.reason})`);
    } else {
      await tightenKey(p.clientKey);
      parts.push('reused client certificate');
    }
  }
  for (const w of d.warnings) parts.push(`warning: ${w}`);
  return { outcome, line: `${name}: ${parts.join('; ')}` };
}

async function ensureCa(d: CertDecisions, mintOpts: MintOptions): Promise<Pem> {
  if (d.ca.action === 'reuse') {
    await tightenKey(d.paths.caKey);
    return readPair(d.paths.caCert, d.paths.caKey);
  }
  const ca = await mintCa(mintOpts);
  await writePair(d.paths.caCert, d.paths.caKey, ca);
  return ca;
}

export async function ensureCerts(
  config: WizardConfig,
  stateDir: string,
  opts: EnsureOptions = {},
): Promise<EnsureResult> {
  const now = opts.now ?? new Date();
  const log = opts.log ?? (() => {});
  const decisions = await decideCerts(config, stateDir, now);

  // The state directory may be shared with the runner's files; only the certs directory is forced to 0700.
  await mkdir(stateDir, { recursive: true, mode: DIR_MODE });
  await ensurePrivateDir(certsDir(stateDir));

  const base = { keyType: config.certs.keyType, validityDays: config.certs.validityDays, now };
  const ca = await ensureCa(decisions, base);
  const caCert = parseCert(ca.certPem);
  log(
    `CA: ${decisions.ca.action === 'reuse' ? `reused, ${decisions.ca.reason}` : `minted ${base.keyType} CA (${decisions.ca.reason})`}`,
  );

  const leafOpts: MintOptions = { ...base, notAfterCap: new Date(caCert.validTo) };
  const results = await mapLimit(decisions.hosts, opts.concurrency ?? 32, (d) =>
    ensureHost(d, decisions.paths, ca, leafOpts, now),
  );
  const outcome: Record<string, HostOutcome> = {};
  decisions.hosts.forEach((d, i) => {
    const r = results[i];
    if (!r) return;
    outcome[d.host.name] = r.outcome;
    log(r.line);
  });
  return {
    paths: decisions.paths,
    outcome,
    caOutcome: decisions.ca.action === 'reuse' ? 'reused' : 'minted',
  };
}

/** Reads the PEMs the secret builders need. Fails clearly when generate-certs has not produced them. */
export async function loadCertBundle(config: WizardConfig, paths: CertPaths): Promise<CertBundle> {
  const caPem = await readIfExists(paths.caCert);
  if (caPem === undefined)
    throw new WizardError(`missing ${paths.caCert}`, 1, 'run the generate-certs step first');
  const bundle: CertBundle = { caPem, hosts: {} };
  for (const host of httpsHosts(config.hosts)) {
    const p = paths.hosts[host.name];
    const hint = 'run the generate-certs step again';
    if (!p) throw new WizardError(`no certificate recorded for host ${host.name}`, 1, hint);
    const [certPem, keyPem] = await Promise.all([readIfExists(p.cert), readIfExists(p.key)]);
    if (certPem === undefined || keyPem === undefined) {
      throw new WizardError(`missing certificate files for host ${host.name} (${p.cert})`, 1, hint);
    }
    bundle.hosts[host.name] = { certPem, keyPem, caPem };
  }
  return bundle;
}
