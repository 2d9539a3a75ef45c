// A step is a small unit over a shared context (create-astro's actions), ordered in one array (src/steps/index.ts)
// and run by the workflow runner (src/runner), which can start, stop or skip at any step (kubeadm phases).
import type { IstioApiVersion, WizardConfig } from '../config/types.js';
import type { Io } from '../io/types.js';
import type { K8sObject } from '../manifests/types.js';
import type { GatewayApiFacts } from './gatewayApi/preflight.js';

export const STEP_IDS = [
  'preflight',
  'build-image',
  'deploy-versions',
  'define-subsets',
  'add-hosts',
  'generate-certs',
  'load-certs',
  'apply-gateway',
  'verify',
] as const;
export type StepId = (typeof STEP_IDS)[number];

/**
 * What a step touches; the runner decides from this (one table in src/runner/policy.ts) what runs in each mode:
 * - none: reads the cluster only (preflight)
 * - local: writes the state directory only (generate-certs) — also runs in a client dry-run
 * - cluster: writes to the API server — planned only in a client dry-run, sent with dryRun=All in a server dry-run
 * - external: runs container tools or network checks — planned only in any dry-run
 */
export type StepEffect = 'none' | 'local' | 'cluster' | 'external';

export interface PlannedCommand {
  cmd: string;
  args: string[];
  why?: string;
}

/** What a step is about to do, shown before it acts (and all that a client dry-run does for it). */
export interface StepPlan {
  manifests?: K8sObject[];
  commands?: PlannedCommand[];
  notes?: string[];
}

export type RunMode = 'live' | 'server-dry-run' | 'client-dry-run';

export interface RuntimeFlags {
  mode: RunMode;
  yes: boolean;
  includeSecrets: boolean;
  forceConflicts: boolean;
  wait: boolean;
  waitTimeoutSeconds: number;
  /** verify overrides: --address, --http-port, --https-port */
  address?: string;
  httpPort?: number;
  httpsPort?: number;
}

/** Facts preflight discovered, used by later steps. Saved in the state file (no secrets). */
export interface PreflightOutputs {
  context: string;
  server: string;
  apiVersion: IstioApiVersion;
  gatewayAddress?: string;
  httpPort?: number;
  httpsPort?: number;
  clusterKind?: 'kind' | 'minikube' | 'k3d' | 'other';
  clusterName?: string;
  /** Whether the app namespace has sidecar injection on (false also when it does not exist yet). */
  sidecarInjection?: boolean;
  /** api: gateway-api only: what preflight found of the Gateway API. */
  gatewayApi?: GatewayApiFacts;
}

/** Paths only: key material stays in files (0600) and never enters the state file. */
export interface CertPaths {
  caCert: string;
  caKey: string;
  hosts: Record<string, { cert: string; key: string; clientCert?: string; clientKey?: string }>;
}

export interface StepOutputs {
  preflight?: PreflightOutputs;
  /** prebuilt: build.enabled was false, nothing was built or shipped. */
  'build-image'?: { image: string; tool?: string; loadedInto?: string; prebuilt?: boolean };
  'generate-certs'?: CertPaths;
  applied?: Record<string, string[]>;
  verify?: { passed: number; failed: number };
}

export type LogFn = (line: string) => void;

export interface ProgressInfo {
  label: string;
  elapsedMs: number;
  timeoutMs?: number;
}

export interface StepContext {
  config: WizardConfig;
  /** Directory of the config file: certFile/keyFile paths are relative to it. */
  configDir: string;
  stateDir: string;
  io: Io;
  flags: RuntimeFlags;
  /** Outputs of the steps that ran before (this run or a resumed one). */
  outputs: StepOutputs;
  log: LogFn;
  progress: (p: ProgressInfo) => void;
  signal: AbortSignal;
  /** A yes/no question for the person running the wizard; absent with --yes or without a terminal. */
  ask?: (message: string, defaultAnswer: boolean) => Promise<boolean>;
}

export interface Step<Needs extends keyof StepContext = keyof StepContext> {
  id: StepId;
  title: string;
  effect: StepEffect;
  /** Steps whose outputs this one uses; the runner refuses to start here before they are done. */
  needs: StepId[];
  /** The inputs this step depends on: their hash is saved, and a change marks the step (and later ones) stale. */
  inputs(ctx: Pick<StepContext, 'config' | 'outputs' | 'flags'>): unknown;
  plan(ctx: Pick<StepContext, Needs>): Promise<StepPlan>;
  run(ctx: Pick<StepContext, Needs>): Promise<Partial<StepOutputs>>;
}

export type StepStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed';

/** The UI only consumes these. */
export type StepEvent =
  | { type: 'run-start'; steps: { id: StepId; title: string; status: StepStatus }[]; target?: string }
  | { type: 'step-start'; id: StepId; at: number }
  | { type: 'step-plan'; id: StepId; plan: StepPlan }
  | { type: 'step-log'; id: StepId; line: string }
  | { type: 'step-progress'; id: StepId; progress: ProgressInfo }
  | { type: 'step-end'; id: StepId; status: StepStatus; durationMs: number; summary?: string; error?: string }
  | { type: 'run-end'; ok: boolean; summary: string[] };
