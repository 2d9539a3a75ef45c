// The state file: what a previous run answered and how far it got, so a later run can resume. It holds paths and
// facts only — key material stays in the certificate files (0600) and a guard refuses to write it here.
import type { WizardConfig } from '../config/types.js';
import type { RunMode, StepId, StepOutputs, StepStatus } from '../steps/types.js';

export const STATE_VERSION = 1;
export const STATE_TOOL = 'istio-ingress-wizard';
export const STATE_FILE = 'state.json';

export interface StepRecord {
  status: StepStatus;
  /** hashInputs(step.inputs(ctx)) when the step last ran: a different hash now means the step is stale. */
  inputsHash: string;
  /** The same hash per top-level input key, so a stale step can say which input changed. */
  inputHashes?: Record<string, string>;
  outputs?: Partial<StepOutputs>;
  /** ISO 8601. */
  finishedAt?: string;
  /** The mode it was done in: a step done in a dry-run left the cluster untouched, so a live run does it again. */
  mode?: RunMode;
  /** The failure message of a failed step (no stack). */
  error?: string;
}

export interface WizardState {
  version: typeof STATE_VERSION;
  tool: typeof STATE_TOOL;
  /** Exactly the validated config (certFile/keyFile are paths, never PEM). */
  answers: WizardConfig;
  /**
   * The mode of the run that saved the answers. A client dry-run's answers (a try-out, maybe the bundled example)
   * are reused only by client dry-runs, never silently by a run that changes a cluster. Absent in older files.
   */
  answersMode?: RunMode;
  steps: Partial<Record<StepId, StepRecord>>;
  /** ISO 8601. */
  updatedAt: string;
}
