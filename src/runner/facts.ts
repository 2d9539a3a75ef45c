// Facts derived from the answers and earlier outputs, resolved here once for every step (kubeadm's runner builds
// its RunData the same way) instead of by each step that uses them.
import type { WizardConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { RunFacts, StepOutputs } from '../steps/types.js';

export function resolveFacts(config: WizardConfig, outputs: StepOutputs): RunFacts {
  return {
    get istioApiVersion() {
      const found = outputs.preflight?.apiVersion;
      if (found) return found;
      if (config.istio.apiVersion !== 'auto') return config.istio.apiVersion;
      // Steps that emit Istio objects declare preflight as a need under `auto`, so the runner refuses them first.
      throw new UsageError(
        'istio.apiVersion is auto, but preflight has not found which versions the cluster serves',
        [],
        'run the preflight step (`wizard --from preflight`), or set istio.apiVersion in the config',
      );
    },
  };
}
