/**
 * The whole real stack in one call, for the tests that drive the built `wizard` as a user would: a real node
 * (cluster.ts), a loopback registry and private docker/podman engines (engines/), a real istiod and an Envoy
 * ingress gateway running as a real pod on the node (istio/). Nothing here stands in for a step of the wizard.
 *
 * One stack runs on the machine at a time (the node's bridge, cgroups and iptables chains are machine-wide), so
 * startStack() takes a machine-wide lock first and waits for it; a lock whose holder died is taken over. The stack
 * project in vitest.config.ts runs its files one at a time, so in `npm test` the lock is never contended.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import {
  type Cluster,
  ensureNodeBinaries,
  type NodeBinaries,
  nodeSkipReason,
  PAUSE_IMAGE,
  startCluster,
} from './cluster.js';
import { enginesUnavailable } from './engines/available.js';
import { type Engines, FLASK_REPOSITORY, startEngines } from './engines/engines.js';
import { ensureIstioBinaries, type Istio, type IstioBinaries, startIstio } from './istio/istio.js';

export interface StackOptions {
  /** also prepare podman (docker is always there) */
  podman?: boolean;
  /** also install the Gateway API CRDs (istiod then runs its Gateway API controller too) */
  gatewayApi?: boolean;
  /** the gateway's namespace, labels and Service name; default istio-system / istio: ingressgateway */
  gatewayNamespace?: string;
  gatewayLabels?: Record<string, string>;
  serviceName?: string;
}

export interface Stack {
  cluster: Cluster;
  engines: Engines;
  istio: Istio;
  dir: string;
  kubeconfig: string;
  /** the registry's host:port — images named `${registry}/…` are pushed there and pulled by the node */
  registry: string;
  /** the flask image reference in the loopback registry (what a config's `image` should say) */
  flaskImage(tag?: string): string;
  /** the environment that points the wizard's docker (or podman) at the stack's engines */
  env(tool?: 'docker' | 'podman'): Record<string, string>;
  /** the LoadBalancer address curl --resolve uses (also what preflight finds) */
  gatewayAddress: string;
  stop(): Promise<void>;
}

interface Binaries {
  node: NodeBinaries;
  istio: IstioBinaries;
}

let resolved: Promise<Binaries | { skip: string }> | undefined;

/** The binaries (built once, cached outside the repo), or why the stack cannot run on this machine. */
export function stackBinaries(): Promise<Binaries | { skip: string }> {
  resolved ??= (async () => {
    const machine = nodeSkipReason() ?? enginesUnavailable();
    if (machine) return { skip: machine };
    const node = await ensureNodeBinaries();
    if ('skip' in node) return node;
    const istio = await ensureIstioBinaries();
    if ('skip' in istio) return istio;
    return { node, istio };
  })();
  return resolved;
}

/** Why this file's stack tests are skipped, printed once so a skip is never mistaken for a pass. */
export async function stackSkipReason(what: string): Promise<string | undefined> {
  const b = await stackBinaries();
  if (!('skip' in b)) return undefined;
  process.stderr.write(`\n*** SKIPPED: ${what}: ${b.skip}\n\n`);
  return b.skip;
}

const LOCK = path.join(tmpdir(), 'istio-ingress-wizard-stack.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits for the machine-wide stack lock; returns its release. */
async function lockStack(timeoutMs = 45 * 60_000): Promise<() => Promise<void>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(LOCK);
      await writeFile(path.join(LOCK, 'pid'), String(process.pid));
      return () => rm(LOCK, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = Number(await readFile(path.join(LOCK, 'pid'), 'utf8').catch(() => ''));
    // A holder that died (or a directory made a moment before its pid file) — the second look avoids the race.
    if (holder && !alive(holder)) await rm(LOCK, { recursive: true, force: true });
    if (Date.now() > until) throw new Error(`another real stack holds ${LOCK} (pid ${holder || '?'})`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const b = await stackBinaries();
  if ('skip' in b) throw new Error(b.skip);
  const unlock = await lockStack();
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-stack-'));
  let engines: Engines | undefined;
  let cluster: Cluster | undefined;
  let istio: Istio | undefined;
  const stop = async () => {
    await istio?.stop().catch(() => {});
    await cluster?.stop().catch(() => {});
    await engines?.stop().catch(() => {});
    if (!process.env.WIZARD_NODE_KEEP) await rm(dir, { recursive: true, force: true });
    await unlock();
  };
  try {
    engines = await startEngines({ dir: path.join(dir, 'engines'), podman: opts.podman });
    const registry = engines.registry.host;
    cluster = await startCluster({
      binaries: b.node,
      registryMirrors: { [registry]: `http://${registry}` },
    });
    istio = await startIstio({
      adminKubeconfig: cluster.adminKubeconfig,
      dir: path.join(dir, 'istio'),
      binaries: b.istio,
      gatewayApi: opts.gatewayApi,
      gatewayNamespace: opts.gatewayNamespace,
      gatewayLabels: opts.gatewayLabels,
      serviceName: opts.serviceName,
      node: { name: cluster.nodeName, address: cluster.nodeIP, image: PAUSE_IMAGE },
    });
    const e = engines;
    return {
      cluster,
      engines,
      istio,
      dir,
      kubeconfig: cluster.adminKubeconfig,
      registry,
      flaskImage: (tag = 'v2') => e.registry.image(FLASK_REPOSITORY, tag),
      env: (tool = 'docker') => {
        if (tool === 'docker') return { ...e.docker.env };
        if (!e.podman) throw new Error('startStack({ podman: true }) prepares podman');
        return { ...e.podman.env };
      },
      gatewayAddress: istio.gatewayAddress,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A stack for the whole test file: started in beforeAll, stopped in afterAll. */
export function useStack(opts: StackOptions = {}): () => Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack(opts);
  }, 40 * 60_000);
  afterAll(async () => {
    await stack?.stop();
  }, 180_000);
  return () => {
    if (!stack) throw new Error('the stack did not start (see beforeAll)');
    return stack;
  };
}
