import { manifestsFor } from '../manifests/index.js';
import { type ApplyStep, applyStep } from './applyStep.js';
import { ISTIO_VERSION_FROM_PREFLIGHT } from './needs.js';

/** A DestinationRule with one subset per version and the load-balancer policy. */
export const defineSubsetsStep: ApplyStep<'define-subsets', 'config' | 'facts'> = applyStep({
  id: 'define-subsets',
  title: 'Define a subset per version (DestinationRule)',
  needs: [ISTIO_VERSION_FROM_PREFLIGHT],
  answers: ['loadBalancer'],
  inputs: ({ config, facts }) => ({
    ns: config.namespace,
    app: config.app,
    versions: config.versions.map((v) => v.name),
    lb: config.loadBalancer,
    api: facts.istioApiVersion,
    mode: config.api,
  }),
  manifests: ({ config, facts }) => manifestsFor.defineSubsets(config, facts.istioApiVersion),
});
