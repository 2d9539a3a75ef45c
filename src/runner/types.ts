import type { WizardConfig } from '../config/types.js';
import type { StepEvent, StepId, StepOutputs, StepPlan } from '../steps/types.js';

/** 'all': go ahead with this step and every remaining one without asking again. */
export type ConfirmChoice = 'go' | 'all' | 'skip' | 'edit' | 'quit';

/**
 * How the runner talks to whoever drives it (the Ink UI, plain stderr lines, or a test). The UI only consumes
 * events; the two optional callbacks exist only in interactive runs, where the UI unmounts Ink before prompting.
 */
export interface RunnerHooks {
  emit(ev: StepEvent): void;
  /** Before a step acts: show its plan and ask. Absent (or --yes): go. */
  confirm?(id: StepId, plan: StepPlan): Promise<ConfirmChoice>;
  /** 'edit' chosen: ask again for the answers this step uses, returning the new config. */
  edit?(id: StepId, config: WizardConfig, outputs?: StepOutputs): Promise<WizardConfig>;
  /** A yes/no question a step asks while it runs (e.g. label the namespace for sidecar injection). */
  ask?(id: StepId, message: string, defaultAnswer: boolean): Promise<boolean>;
}
