// A step is a small unit over a shared context (create-astro's actions), ordered in one array (src/steps/index.ts)
// and run by the workflow runner (src/runner), which can start, stop or skip at any step (kubeadm phases).
import type { AnswerKey } from '../config/answerKeys.js';
import type { IstioApiVersion, WizardConfig } from '../config/types.js';
import type { Io } from '../io/types.js';
import type { K8sObject } from '../manifests/types.js';
import type { GatewayApiFacts } from './gatewayApi/preflight.js';
import type { StepId } from './index.js';

// The ids and their order come from the one array of steps (src/steps/index.ts).
export type { StepId } from './index.js';

/**
 * What a step touches; the runner's one rule (src/runner/policy.ts) decides from it what runs in each mode:
 * - read: reads the cluster only (preflight)
 * - local: writes the state directory only (generate-certs)
 * - cluster: writes to the API server through the Io — a dry-run Io records or sends dryRun=All, so it always runs
 * - external: runs container tools or network checks — only planned in any dry-run
 */
export type StepEffect = 'read' | 'local' | 'cluster' | 'external';

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
  /**
   * The plan is known to fail as answered (e.g. an image with no registry and nowhere to load it): the person is
   * offered the answers that fix it (`keys`) instead of "Go ahead".
   */
  blocked?: { reason: string; fix: string; keys: AnswerKey[] };
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

/**
 * generate-certs' outputs: the paths, and the sha256 of each (public) certificate file, so a renewal that keeps a
 * path still changes load-certs' inputs and re-loads the secret.
 */
export interface GeneratedCerts extends CertPaths {
  fingerprints?: Record<string, string>;
}

export interface StepOutputs {
  preflight?: PreflightOutputs;
  /** prebuilt: build.enabled was false, nothing was built or shipped. */
  'build-image'?: { image: string; tool?: string; loadedInto?: string; prebuilt?: boolean };
  'generate-certs'?: GeneratedCerts;
  applied?: Record<string, string[]>;
  verify?: { passed: number; failed: number };
}

export type LogFn = (line: string) => void;

export interface ProgressInfo {
  label: string;
  elapsedMs: number;
  timeoutMs?: number;
}

/**
 * Facts derived from the answers and earlier outputs, resolved by the runner once per step (kubeadm's RunData) so
 * no step works them out again. Reading one a step's `needs` did not guarantee is an internal error.
 */
export interface RunFacts {
  /** The networking.istio.io version to emit: preflight's finding, else the configured one. */
  readonly istioApiVersion: IstioApiVersion;
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
  facts: RunFacts;
  log: LogFn;
  progress: (p: ProgressInfo) => void;
  signal: AbortSignal;
  /** A yes/no question for the person running the wizard; absent with --yes or without a terminal. */
  ask?: (message: string, defaultAnswer: boolean) => Promise<boolean>;
}

/** The context keys inputs() may read: all of them are known before the step runs. */
export type InputsContext = Pick<StepContext, 'config' | 'outputs' | 'flags' | 'facts'>;

/**
 * One dependency on an earlier step, with the condition under which it holds (kubeadm's RunIf): load-certs needs
 * generate-certs only when a host uses HTTPS. Checked before the run and again before each step, so a step skipped
 * at the prompt stops the steps that need it.
 */
export interface Need {
  step: StepId;
  /** Absent: always needed. */
  when?: (config: WizardConfig) => boolean;
  /** What this step uses from it, for the refusal message. */
  for: string;
}

/**
 * A step over the context keys it uses (`Uses`, create-astro's Pick<> narrowing): plan() and run() see only those,
 * so the compiler checks each step's declared context. Annotate a step as `Step<'its-id', 'config' | …>`.
 */
export interface Step<Id extends string = StepId, Uses extends keyof StepContext = keyof StepContext> {
  id: Id;
  title: string;
  effect: StepEffect;
  /** Earlier steps whose outputs this one uses; the runner refuses to run it while one that applies is not done. */
  needs: readonly Need[];
  /** The answers that shape this step: what "Edit the answers" asks (none: no edit offered). */
  answers: readonly AnswerKey[];
  /** The inputs this step depends on: their hash is saved, and a change marks the step (and later ones) stale. */
  inputs(ctx: InputsContext): Record<string, unknown>;
  plan(ctx: Pick<StepContext, Uses>): Promise<StepPlan>;
  run(ctx: Pick<StepContext, Uses>): Promise<Partial<StepOutputs>>;
}

/** Any step of the wizard, as the runner holds them. */
export type AnyStep = Step<StepId, keyof StepContext>;

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
