// generate-certs' work: one CA, one server certificate per HTTPS host, a client certificate per MUTUAL host —
// reusing whatever on disk is still good (see decide.ts), minting the rest concurrently.
//
// A new set is written as a unit: the files that change are written, next to a copy of those that stay, into a
// fresh directory inside the state directory, which then replaces certs/ by rename. Whoever reads certs/ sees the
// old set or the new one, never a CA from one mint and leaves from another (the state lock keeps a second writer
// out in the first place).
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { WizardConfig } from '../config/types.js';
import { WizardError } from '../errors.js';
import { writeFileAtomic } from '../io/writeAtomic.js';
import { mapLimit } from '../lib/async.js';
import type { CertBundle } from '../manifests/types.js';
import { writingStateDir } from '../state/fsErrors.js';
import { ensureStateDir } from '../state/lock.js';
import type { CertPaths } from '../steps/types.js';
import { type CertDecisions, decideCerts, type HostDecision } from './decide.js';
import { parseCert } from './inspect.js';
import { type MintOptions, mintCa, mintClient, mintLeaf, type Pem } from './mint.js';
import { readProvided } from './provided.js';
import {
  CERT_MODE,
  certsDir,
  checkCertDirs,
  DIR_MODE,
  ensurePrivateDir,
  exists,
  httpsHosts,
  KEY_MODE,
  readIfExists,
  readKeyIfExists,
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

/** One file of the new set. */
interface Write {
  path: string;
  data: string;
  mode: number;
}

const NEW_PREFIX = '.certs-new-';
const OLD_PREFIX = '.certs-old-';

async function readPair(certPath: string, keyPath: string): Promise<Pem> {
  const [certPem, keyPem] = await Promise.all([readIfExists(certPath), readKeyIfExists(keyPath)]);
  if (certPem === undefined || keyPem === undefined) {
    throw new WizardError(`certificate files disappeared while generating: ${certPath}`);
  }
  return { certPem, keyPem };
}

const pairWrites = (certPath: string, keyPath: string, pem: Pem): Write[] => [
  { path: keyPath, data: pem.keyPem, mode: KEY_MODE },
  { path: certPath, data: pem.certPem, mode: CERT_MODE },
];

/** Provided PEMs are copied in only when they changed, so a re-run leaves the files untouched. */
async function providedWrites(certPath: string, keyPath: string, pem: Pem): Promise<Write[]> {
  const [oldCert, oldKey] = await Promise.all([readIfExists(certPath), readKeyIfExists(keyPath)]);
  const out: Write[] = [];
  if (oldKey !== pem.keyPem) out.push({ path: keyPath, data: pem.keyPem, mode: KEY_MODE });
  if (oldCert !== pem.certPem) out.push({ path: certPath, data: pem.certPem, mode: CERT_MODE });
  return out;
}

async function planHost(
  d: HostDecision,
  paths: CertPaths,
  ca: Pem,
  mintOpts: MintOptions,
  now: Date,
): Promise<{ outcome: HostOutcome; line: string; writes: Write[] }> {
  const name = d.host.name;
  const p = paths.hosts[name];
  if (!p) throw new WizardError(`no certificate paths for host ${name}`);
  const parts: string[] = [];
  const writes: Write[] = [];

  let outcome: HostOutcome;
  if (d.server.action === 'provide') {
    writes.push(...(await providedWrites(p.cert, p.key, await readProvided(d.host, d.index, now))));
    outcome = 'provided';
    parts.push(`provided certificate ${d.server.reason}`);
  } else if (d.server.action === 'mint') {
    writes.push(...pairWrites(p.cert, p.key, await mintLeaf(ca, name, mintOpts)));
    outcome = 'minted';
    parts.push(`minted ${mintOpts.keyType} certificate (${d.server.reason})`);
  } else {
    outcome = 'reused';
    parts.push(`reused certificate, ${d.server.reason}`);
  }

  if (d.client && p.clientCert && p.clientKey) {
    if (d.client.action === 'mint') {
      writes.push(...pairWrites(p.clientCert, p.clientKey, await mintClient(ca, name, mintOpts)));
      if (outcome === 'reused') outcome = 'minted';
      parts.push(`minted client certificate (${d.client.reason})`);
    } else {
      parts.push('reused client certificate');
    }
  }
  for (const w of d.warnings) parts.push(`warning: ${w}`);
  return { outcome, line: `${name}: ${parts.join('; ')}`, writes };
}

/** Copies the regular files and directories of `from` into `to` (links and anything else are left behind). */
async function copyTree(from: string, to: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    const dst = join(to, entry.name);
    if (entry.isDirectory()) {
      await ensurePrivateDir(dst);
      await copyTree(src, dst);
    } else if (entry.isFile()) {
      const st = await lstat(src);
      // COPYFILE_EXCL: the name is new (never a link to follow); then the original's mode (0600 for keys).
      await copyFile(src, dst, constants.COPYFILE_EXCL);
      await chmod(dst, st.mode & 0o777);
    }
  }
}

/**
 * A crash between the two renames of a swap leaves no certs/ and the previous set as .certs-old-*: put it back.
 * Half-written new sets are removed. Runs under the state lock, so nobody else is swapping.
 */
async function recoverSwap(stateDir: string): Promise<void> {
  const names = await readdir(stateDir).catch(() => [] as string[]);
  const olds = names.filter((n) => n.startsWith(OLD_PREFIX));
  if (!(await exists(certsDir(stateDir))) && olds[0]) {
    await rename(join(stateDir, olds[0]), certsDir(stateDir));
    olds.shift();
  }
  const leftovers = [...olds, ...names.filter((n) => n.startsWith(NEW_PREFIX))];
  await Promise.all(leftovers.map((n) => rm(join(stateDir, n), { recursive: true, force: true })));
}

/** Writes the new set beside a copy of what stays, then swaps it in for certs/ (see the top of this file). */
async function commitSet(stateDir: string, writes: Write[]): Promise<void> {
  const live = certsDir(stateDir);
  const staging = join(stateDir, `${NEW_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { mode: DIR_MODE });
  try {
    await ensurePrivateDir(staging);
    const hadSet = await exists(live);
    if (hadSet) await copyTree(live, staging);
    for (const w of writes) {
      const target = join(staging, relative(live, w.path));
      await ensurePrivateDir(dirname(target));
      await writeFileAtomic(target, w.data, { mode: w.mode });
    }
    const old = join(stateDir, `${OLD_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
    if (hadSet) await rename(live, old);
    await rename(staging, live);
    if (hadSet) await rm(old, { recursive: true, force: true });
  } catch (err) {
    await rm(staging, { recursive: true, force: true }).catch(() => {});
    throw err;
  }
}

export async function ensureCerts(
  config: WizardConfig,
  stateDir: string,
  opts: EnsureOptions = {},
): Promise<EnsureResult> {
  const now = opts.now ?? new Date();
  const log = opts.log ?? (() => {});
  await ensureStateDir(stateDir);
  await writingStateDir(stateDir, () => recoverSwap(stateDir));
  const decisions: CertDecisions = await decideCerts(config, stateDir, now);

  const base = { keyType: config.certs.keyType, validityDays: config.certs.validityDays, now };
  const ca: Pem =
    decisions.ca.action === 'reuse'
      ? await readPair(decisions.paths.caCert, decisions.paths.caKey)
      : await mintCa(base);
  const writes: Write[] =
    decisions.ca.action === 'reuse' ? [] : pairWrites(decisions.paths.caCert, decisions.paths.caKey, ca);
  const caCert = parseCert(ca.certPem);
  log(
    `CA: ${decisions.ca.action === 'reuse' ? `reused, ${decisions.ca.reason}` : `minted ${base.keyType} CA (${decisions.ca.reason})`}`,
  );

  const leafOpts: MintOptions = { ...base, notAfterCap: new Date(caCert.validTo) };
  const results = await mapLimit(decisions.hosts, opts.concurrency ?? 32, (d) =>
    planHost(d, decisions.paths, ca, leafOpts, now),
  );
  for (const r of results) writes.push(...r.writes);
  // Nothing changed: leave certs/ as it is (only checked and tightened, above); else swap in the new set.
  await writingStateDir(stateDir, async () => {
    if (writes.length > 0) await commitSet(stateDir, writes);
    else if (!(await exists(certsDir(stateDir)))) await ensurePrivateDir(certsDir(stateDir));
  });

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

/**
 * Reads the PEMs the secret builders need: the directories and every key checked for owner and mode first (a key
 * chmod-ed 0644 since the last run is tightened and reported). Fails clearly when generate-certs has not run.
 */
export async function loadCertBundle(config: WizardConfig, paths: CertPaths): Promise<CertBundle> {
  await checkCertDirs(paths);
  const caPem = await readIfExists(paths.caCert);
  if (caPem === undefined)
    throw new WizardError(`missing ${paths.caCert}`, 1, 'run the generate-certs step first');
  const bundle: CertBundle = { caPem, hosts: {} };
  for (const host of httpsHosts(config.hosts)) {
    const p = paths.hosts[host.name];
    const hint = 'run the generate-certs step again';
    if (!p) throw new WizardError(`no certificate recorded for host ${host.name}`, 1, hint);
    const [certPem, keyPem] = await Promise.all([readIfExists(p.cert), readKeyIfExists(p.key)]);
    if (certPem === undefined || keyPem === undefined) {
      throw new WizardError(`missing certificate files for host ${host.name} (${p.cert})`, 1, hint);
    }
    bundle.hosts[host.name] = { certPem, keyPem, caPem };
  }
  return bundle;
}
