// Checks that relate one part of the config to another (or to files), run on the raw input alongside the schema so
// that one run reports every problem. Each check looks only at values of the right type; the schema reports the rest.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileMountKeys } from '../manifests/secrets.js';
import { checkCertFiles } from './certFiles.js';
import { defaultOf } from './defaults.js';
import type { ConfigIssue } from './issues.js';
import { isMap, mapItems, type RawMap } from './raw.js';
import { quote } from './rules.js';

export interface CrossCheckOptions {
  configDir: string;
  /** The interactive wizard asks for hosts later, so an empty host list is fine there. */
  hostsOptional: boolean;
}

export interface CrossCheckResult {
  issues: ConfigIssue[];
  warnings: string[];
}

/**
 * Version names as the config defines them (the defaults when `versions` is absent), duplicates reported;
 * undefined when `versions` is not a usable list, so subsets are not judged against nothing.
 */
function versionNames(raw: RawMap, issues: ConfigIssue[]): string[] | undefined {
  if (raw.versions === undefined) return defaultOf('versions').map((v) => v.name);
  if (!Array.isArray(raw.versions) || raw.versions.length === 0) return undefined;
  const seen = new Map<string, number>();
  for (const [i, version] of mapItems(raw.versions)) {
    if (typeof version.name !== 'string') continue;
    const first = seen.get(version.name);
    if (first === undefined) seen.set(version.name, i);
    else
      issues.push({
        path: ['versions', i, 'name'],
        message: `${quote(version.name)} is already defined by versions[${first}]`,
      });
  }
  return [...seen.keys()];
}

function checkRoutes(host: RawMap, i: number, versions: string[] | undefined, issues: ConfigIssue[]): void {
  const known = (subset: string) => versions === undefined || versions.includes(subset);
  const unknown = (subset: string) => `${quote(subset)} is not a defined version (${versions?.join(', ')})`;
  if (host.route !== undefined && host.routes !== undefined) {
    issues.push({
      path: ['hosts', i],
      message:
        'give either route or routes, not both (route: v1 is short for routes: [{ subset: v1, weight: 100 }])',
    });
  } else if (host.route === undefined && host.routes === undefined) {
    issues.push({
      path: ['hosts', i, 'routes'],
      message: 'required (route: <version> or routes: [{ subset, weight }])',
    });
  }
  if (typeof host.route === 'string' && host.route !== '' && !known(host.route)) {
    issues.push({ path: ['hosts', i, 'route'], message: unknown(host.route) });
  }
  const routes = mapItems(host.routes);
  const seen = new Map<string, number>();
  for (const [j, route] of routes) {
    const subset = route.subset;
    if (typeof subset !== 'string' || subset === '') continue;
    const path = ['hosts', i, 'routes', j, 'subset'];
    if (!known(subset)) issues.push({ path, message: unknown(subset) });
    const first = seen.get(subset);
    if (first === undefined) seen.set(subset, j);
    else
      issues.push({ path, message: `${quote(subset)} is already routed by routes[${first}] of this host` });
  }
  const weights = routes.map(([, r]) => r.weight);
  if (
    weights.length > 0 &&
    weights.length === (host.routes as unknown[]).length &&
    weights.every((w) => w === 0)
  ) {
    issues.push({
      path: ['hosts', i, 'routes'],
      message: 'all weights are 0; at least one must be greater than 0',
    });
  }
}

/** Longest Secret data key Kubernetes accepts (a ConfigMap/Secret key is at most 253 characters). */
const MAX_SECRET_KEY = 253;

/** file-mount names the host's PEMs `<host>-key.pem` in one Secret: a very long host makes an invalid key. */
function checkFileMountKey(raw: RawMap, host: RawMap, i: number, issues: ConfigIssue[]): void {
  if (!isMap(raw.certs) || raw.certs.storage !== 'file-mount') return;
  if (host.protocol !== 'HTTPS' || typeof host.name !== 'string') return;
  const key = fileMountKeys(host.name).key;
  if (key.length <= MAX_SECRET_KEY) return;
  const max = host.name.length - (key.length - MAX_SECRET_KEY);
  issues.push({
    path: ['hosts', i, 'name'],
    message:
      `${host.name.length} characters is too long for certs.storage: file-mount (at most ${max} here, so that ` +
      `the Secret key "<host>-key.pem" fits in ${MAX_SECRET_KEY}); use certs.storage: credentialName`,
  });
}

function checkHosts(
  raw: RawMap,
  versions: string[] | undefined,
  opts: CrossCheckOptions,
  out: CrossCheckResult,
): void {
  const { issues } = out;
  if (raw.hosts === undefined || (Array.isArray(raw.hosts) && raw.hosts.length === 0)) {
    if (!opts.hostsOptional) {
      issues.push({ path: ['hosts'], message: 'required: list at least one host (name, protocol, route)' });
    }
    return;
  }
  const seen = new Map<string, number>();
  for (const [i, host] of mapItems(raw.hosts)) {
    if (typeof host.name === 'string' && host.name !== '') {
      const key = host.name.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else
        issues.push({
          path: ['hosts', i, 'name'],
          message: `${quote(host.name)} is already defined by hosts[${first}]`,
        });
    }
    checkRoutes(host, i, versions, issues);
    checkFileMountKey(raw, host, i, issues);
    if (host.protocol === 'HTTP' && host.tls !== undefined) {
      issues.push({ path: ['hosts', i, 'tls'], message: 'only allowed on HTTPS hosts (this host is HTTP)' });
    } else if (isMap(host.tls)) {
      const result = checkCertFiles(host.tls, host.name, ['hosts', i, 'tls'], opts.configDir);
      issues.push(...result.issues);
      out.warnings.push(...result.warnings);
    }
  }
}

function checkBuildContext(raw: RawMap, opts: CrossCheckOptions, issues: ConfigIssue[]): void {
  const build = raw.build;
  if (!isMap(build) || build.enabled === false) return;
  if (typeof build.context !== 'string' || build.context === '') return;
  const dir = resolve(opts.configDir, build.context);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    issues.push({ path: ['build', 'context'], message: `${dir} does not exist` });
    return;
  }
  if (!isDir) issues.push({ path: ['build', 'context'], message: `${dir} is not a directory` });
}

export function crossCheck(raw: unknown, opts: CrossCheckOptions): CrossCheckResult {
  const out: CrossCheckResult = { issues: [], warnings: [] };
  if (!isMap(raw)) return out;
  const versions = versionNames(raw, out.issues);
  checkHosts(raw, versions, opts, out);
  checkBuildContext(raw, opts, out.issues);
  return out;
}
