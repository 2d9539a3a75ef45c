import { loadState, type WizardState } from '../state/index.js';

/** The state, if any. A corrupt or newer state file stops the run with its path and the way out (--reset). */
export async function loadStateOrExplain(stateDir: string): Promise<WizardState | undefined> {
  return loadState(stateDir);
}
