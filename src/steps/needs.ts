// Dependencies more than one step declares, with the condition under which they hold (kubeadm's RunIf).
import type { Need } from './types.js';

/** Under `istio.apiVersion: auto` (the default) only preflight knows which networking.istio.io version to emit. */
export const ISTIO_VERSION_FROM_PREFLIGHT: Need = {
  step: 'preflight',
  when: (config) => config.istio.apiVersion === 'auto',
  for: 'the Istio API version the cluster serves (istio.apiVersion is auto)',
};

/** Certificates exist only for HTTPS hosts: an HTTP-only config needs none. */
export const CERTS_FROM_GENERATE_CERTS: Need = {
  step: 'generate-certs',
  when: (config) => config.hosts.some((h) => h.protocol === 'HTTPS'),
  for: 'the certificates of the HTTPS hosts',
};
