import type { IstioApiVersion, WizardConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { RunMode, StepOutputs } from './types.js';

/**
 * The networking.istio.io version to emit: the one preflight resolved against the cluster, else the configured one.
 * `auto` with no cluster to ask (a client dry-run) means v1, what current Istio serves and stores.
 */
export function resolveApiVersion(
  config: WizardConfig,
  outputs: StepOutputs,
  mode: RunMode,
): IstioApiVersion {
  if (outputs.preflight?.apiVersion) return outputs.preflight.apiVersion;
  if (config.istio.apiVersion !== 'auto') return config.istio.apiVersion;
  if (mode === 'client-dry-run') return 'networking.istio.io/v1';
  throw new UsageError(
    'istio.apiVersion is auto, but preflight has not found which versions the cluster serves',
    [],
    'run the preflight step (wizard --from preflight), or set istio.apiVersion in the config',
  );
}
