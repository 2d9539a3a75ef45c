// Preflight's Istio check: the CRDs are installed and serve a version the config can use (src/plan/istioApi.ts).
import type { IstioApiVersion, IstioApiVersionSetting } from '../../config/types.js';
import type { ClusterIo } from '../../io/types.js';
import { ISTIO_GROUP, pickApiVersion } from '../../plan/istioApi.js';
import { type CheckResult, fail, pass } from './result.js';

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
