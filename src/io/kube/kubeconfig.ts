// Finding and reading kubeconfig the way kubectl does:
//   --kubeconfig FILE (only that file) > KUBECONFIG (`:`-separated, merged) > ~/.kube/config
// Merging follows kubectl's rules, not client-node's: for clusters/users/contexts the FIRST file that defines a name
// wins, and so does the first file that sets current-context (client-node's loadFromDefault throws on duplicate names
// and lets the last file's current-context win).
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { UsageError, WizardError } from '../../errors.js';
import { shownValue } from '../../secrets/keyLike.js';
import { FileReadError, readBytesSync, readTextSync } from '../files.js';
import type { TargetDescription } from './errors.js';

export interface LoadedKubeconfig {
  kc: KubeConfig;
  /** The files actually read, in precedence order. */
  files: string[];
  context: string;
  server: string;
  /** The context's namespace, if it sets one. */
  namespace?: string;
  target: TargetDescription;
}

export interface KubeconfigOptions {
  kubeconfig?: string;
  context?: string;
  /** For tests: defaults to process.env / the home directory. */
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** Which files to read, and whether the user named them explicitly (a missing explicit file is a usage error). */
export function kubeconfigFiles(opts: KubeconfigOptions): { files: string[]; source: string } {
  const env = opts.env ?? process.env;
  if (opts.kubeconfig) return { files: [path.resolve(opts.kubeconfig)], source: '--kubeconfig' };
  const fromEnv = env.KUBECONFIG;
  if (fromEnv && fromEnv.trim() !== '') {
    const files = fromEnv
      .split(path.delimiter)
      .filter((f) => f !== '')
      .map((f) => path.resolve(f));
    return { files, source: 'KUBECONFIG' };
  }
  const home = opts.home ?? env.HOME ?? os.homedir();
  return { files: [path.join(home, '.kube', 'config')], source: 'default' };
}

type Parsed = Pick<KubeConfig, 'clusters' | 'users' | 'contexts' | 'currentContext'>;

export async function loadKubeconfig(opts: KubeconfigOptions): Promise<LoadedKubeconfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const { files, source } = kubeconfigFiles(opts);

  // kubectl skips KUBECONFIG entries that do not exist, but an explicitly named file must exist.
  const present = files.filter((f) => existsSync(f));
  if (source === '--kubeconfig' && present.length === 0) {
    throw new UsageError(`--kubeconfig: file ${files[0]} does not exist`);
  }
  if (present.length === 0) {
    throw new WizardError(
      source === 'KUBECONFIG'
        ? `no kubeconfig found: none of the KUBECONFIG files exist (${files.join(', ')})`
        : `no kubeconfig found: ${files[0]} does not exist`,
      undefined,
      'point --kubeconfig FILE or KUBECONFIG at your cluster config (kind/minikube/k3d write ~/.kube/config when they create a cluster)',
    );
  }

  const merged: Parsed = { clusters: [], users: [], contexts: [], currentContext: '' };
  for (const file of present) {
    const one = new KubeConfig();
    let text: string;
    try {
      // A regular file of a sane size: a FIFO or /dev/zero as --kubeconfig would hang or fill memory.
      text = readTextSync(file, { kind: 'kubeconfig' });
    } catch (e) {
      if (!(e instanceof FileReadError)) throw e;
      const message = `cannot read kubeconfig ${shownValue(file)}: ${e.problem}`;
      throw source === '--kubeconfig' ? new UsageError(`--kubeconfig: ${message}`) : new WizardError(message);
    }
    try {
      const doc = parse(text) as unknown;
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
        throw new Error(text.trim() ? 'not a YAML mapping' : 'the file is empty');
      }
      one.loadFromString(text);
      // Relative certificate/key/token paths are relative to the file that names them.
      one.makePathsAbsolute(path.dirname(file));
    } catch (e) {
      throw new WizardError(
        `cannot read kubeconfig ${shownValue(file)}: ${(e as Error).message.split('\n')[0]}`,
        undefined,
        'is it a kubeconfig file (apiVersion: v1, kind: Config)?',
      );
    }
    addFirstWins(merged.clusters, one.clusters ?? []);
    addFirstWins(merged.users, one.users ?? []);
    addFirstWins(merged.contexts, one.contexts ?? []);
    if (!merged.currentContext && one.currentContext) merged.currentContext = one.currentContext;
  }

  const kc = new KubeConfig();
  kc.loadFromOptions(merged);
  const names = merged.contexts.map((c) => c.name);
  const available = names.length ? names.join(', ') : '(none)';
  const where = present.join(', ');

  let contextName = opts.context;
  if (contextName) {
    if (!names.includes(contextName)) {
      throw new UsageError(`--context: no context "${contextName}" in ${where}; available: ${available}`);
    }
  } else {
    contextName = merged.currentContext;
    if (!contextName) {
      throw new WizardError(
        `no current-context set in ${where}`,
        undefined,
        `pass --context NAME (available: ${available}) or run \`kubectl config use-context NAME\``,
      );
    }
    if (!names.includes(contextName)) {
      throw new WizardError(
        `current-context "${contextName}" is not defined in ${where}; available: ${available}`,
        undefined,
        'pass --context NAME or fix current-context',
      );
    }
  }
  kc.setCurrentContext(contextName);
  const ctx = kc.getContextObject(contextName);
  const cluster = ctx ? kc.getCluster(ctx.cluster) : null;
  if (!ctx || !cluster) {
    throw new WizardError(
      `context "${contextName}" refers to cluster "${ctx?.cluster ?? ''}", which is not in ${where}`,
    );
  }
  if (ctx.user && !kc.getUser(ctx.user)) {
    throw new WizardError(`context "${contextName}" refers to user "${ctx.user}", which is not in ${where}`);
  }
  // kubectl takes a server without a scheme (`10.0.0.1:6443`) as https.
  const bare = cluster.server.replace(/\/+$/, '');
  const server = /^[a-z][a-z0-9+.-]*:\/\//i.test(bare) ? bare : `https://${bare}`;
  const user = kc.getCurrentUser();
  checkReferencedFiles(cluster, user);
  return {
    kc,
    files: present,
    context: contextName,
    server,
    namespace: ctx.namespace || undefined,
    target: { context: contextName, server, ...authKind(user), ...clientCertExpiry(user) },
  };
}

function addFirstWins<T extends { name: string }>(into: T[], from: readonly T[]): void {
  for (const item of from) if (!into.some((x) => x.name === item.name)) into.push(item);
}

function authKind(
  user: ReturnType<KubeConfig['getCurrentUser']>,
): Pick<TargetDescription, 'auth' | 'execCommand'> {
  if (!user) return { auth: 'none' };
  if (user.exec)
    return { auth: 'exec', execCommand: String((user.exec as { command?: string }).command ?? '') };
  if (user.authProvider) return { auth: 'auth-provider' };
  if (user.token) return { auth: 'token' };
  if (user.certData || user.certFile) return { auth: 'client-certificate' };
  if (user.username) return { auth: 'basic' };
  return { auth: 'none' };
}

type Cluster = NonNullable<ReturnType<KubeConfig['getCluster']>>;
type User = ReturnType<KubeConfig['getCurrentUser']>;

/**
 * The files the context points at (CA, client certificate and key, token file) are read by client-node without
 * limits: check them the way every other file is checked, so a FIFO or /dev/zero there is named, not a hang.
 */
function checkReferencedFiles(cluster: Cluster, user: User): void {
  const files: [string | undefined, string][] = [
    [cluster.caFile, 'certificate-authority'],
    [user?.certFile, 'client-certificate'],
    [user?.keyFile, 'client-key'],
    [(user as { tokenFile?: string } | null)?.tokenFile, 'tokenFile'],
  ];
  for (const [file, field] of files) {
    if (!file) continue;
    try {
      readBytesSync(file, { kind: 'pem' });
    } catch (e) {
      // A missing file is reported when the credentials are prepared (as kubectl does, at the first request).
      if (e instanceof FileReadError && e.code === 'ENOENT') continue;
      if (e instanceof FileReadError) throw new WizardError(`kubeconfig ${field}: ${e.message}`);
      throw e;
    }
  }
}

/** When the user's client certificate stops being valid: a 401 then says so with the date. */
function clientCertExpiry(user: User): Pick<TargetDescription, 'clientCertNotAfter'> {
  try {
    const pem = user?.certData
      ? Buffer.from(user.certData, 'base64')
      : user?.certFile
        ? readBytesSync(user.certFile, { kind: 'pem' })
        : undefined;
    if (!pem) return {};
    return { clientCertNotAfter: new Date(new X509Certificate(pem).validTo).toISOString() };
  } catch {
    return {};
  }
}
