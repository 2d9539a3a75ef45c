import { manifestsFor } from '../manifests/index.js';
import { resolveApiVersion } from './apiVersion.js';
import { applyStep } from './applyStep.js';

/** One VirtualService per host, bound to the Gateway, routing to a subset or a weighted split. */
export const addHostsStep = applyStep({
  id: 'add-hosts',
  title: 'Route each host to a version (VirtualServices)',
  inputs: ({ config, outputs, flags }) => ({
    ns: config.namespace,
    app: config.app,
    gateway: config.gateway.name,
    mesh: config.gateway.alsoMesh,
    hosts: config.hosts.map((h) => ({ name: h.name, routes: h.routes })),
    api: resolveApiVersion(config, outputs, flags.mode),
    mode: config.api,
  }),
  manifests: ({ config, outputs, flags }) =>
    manifestsFor.addHosts(config, resolveApiVersion(config, outputs, flags.mode)),
});
