// Which networking.istio.io version to emit: `auto` takes the newest the cluster serves (v1 > v1beta1 > v1alpha3);
// an explicit version must be served. Preflight, teardown and the api-mode switch all decide it this way.
import { ISTIO_API_VERSIONS, type IstioApiVersion, type IstioApiVersionSetting } from '../config/types.js';

export const ISTIO_GROUP = 'networking.istio.io';

/** The version to use, or undefined when none fits. `served` holds bare versions (`v1`, `v1beta1`). */
export function pickApiVersion(
  served: readonly string[],
  setting: IstioApiVersionSetting,
): IstioApiVersion | undefined {
  const full = new Set(served.map((v) => `${ISTIO_GROUP}/${v}`));
  if (setting !== 'auto') return full.has(setting) ? setting : undefined;
  return ISTIO_API_VERSIONS.find((v) => full.has(v));
}
