// Which networking.istio.io version to emit: `auto` takes the newest the cluster serves (v1 > v1beta1 > v1alpha3);
// an explicit version must be served.
import { ISTIO_API_VERSIONS, type IstioApiVersion, type IstioApiVersionSetting } from '../../config/types.js';
import type { ClusterIo } from '../../io/types.js';
import { type CheckResult, fail, pass } from './result.js';

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

export async function checkIstio(
  cluster: ClusterIo,
  setting: IstioApiVersionSetting,
): Promise<{ result: CheckResult; apiVersion?: IstioApiVersion }> {
  const served = await cluster.servedVersions(ISTIO_GROUP);
  if (served.length === 0) {
    return {
      result: fail(
        `Istio CRDs not installed: the API server serves no ${ISTIO_GROUP} versions`,
        'install Istio (istioctl install --set profile=default -y, or the istio/base Helm chart) and re-run',
      ),
    };
  }
  const list = served.map((v) => `${ISTIO_GROUP}/${v}`).join(', ');
  const apiVersion = pickApiVersion(served, setting);
  if (!apiVersion) {
    return {
      result: fail(
        setting === 'auto'
          ? `Istio API: none of the served versions (${list}) is one the wizard emits`
          : `istio.apiVersion ${setting} is not served by the cluster (served: ${list})`,
        setting === 'auto'
          ? 'upgrade Istio'
          : 'set istio.apiVersion to auto or to one of the served versions',
      ),
    };
  }
  return {
    result: pass(
      `Istio CRDs installed: serving ${list}; using ${apiVersion}${setting === 'auto' ? ' (auto)' : ''}`,
    ),
    apiVersion,
  };
}
