import { manifestsFor } from '../manifests/index.js';
import { resolveApiVersion } from './apiVersion.js';
import { applyStep } from './applyStep.js';

/** A DestinationRule with one subset per version and the load-balancer policy. */
export const defineSubsetsStep = applyStep({
  id: 'define-subsets',
  title: 'Define a subset per version (DestinationRule)',
  inputs: ({ config, outputs, flags }) => ({
    ns: config.namespace,
    app: config.app,
    versions: config.versions.map((v) => v.name),
    lb: config.loadBalancer,
    api: resolveApiVersion(config, outputs, flags.mode),
    mode: config.api,
  }),
  manifests: ({ config, outputs, flags }) =>
    manifestsFor.defineSubsets(config, resolveApiVersion(config, outputs, flags.mode)),
});
