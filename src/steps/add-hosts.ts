import { manifestsFor } from '../manifests/index.js';
import { type ApplyStep, applyStep } from './applyStep.js';
import { ISTIO_VERSION_FROM_PREFLIGHT } from './needs.js';

/** One VirtualService per host, bound to the Gateway, routing to a subset or a weighted split. */
export const addHostsStep: ApplyStep<'add-hosts', 'config' | 'facts'> = applyStep({
  id: 'add-hosts',
  title: 'Route each host to a version (VirtualServices)',
  needs: [ISTIO_VERSION_FROM_PREFLIGHT],
  answers: ['hosts'],
  inputs: ({ config, facts }) => ({
    ns: config.namespace,
    app: config.app,
    gateway: config.gateway.name,
    mesh: config.gateway.alsoMesh,
    hosts: config.hosts.map((h) => ({ name: h.name, routes: h.routes })),
    api: facts.istioApiVersion,
    mode: config.api,
  }),
  manifests: ({ config, facts }) => manifestsFor.addHosts(config, facts.istioApiVersion),
});
