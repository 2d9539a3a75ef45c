// What `api: gateway-api` cannot express the way `api: istio` does, as config errors that say why and what to do
// instead. Run on the parsed config (after the schema), so every value here has its type and its default.
import { attachedServiceName, MAX_LISTENERS } from '../manifests/gatewayApi/names.js';
import type { ConfigIssue } from './issues.js';
import type { WizardConfig } from './types.js';

/** Longest Service name (a DNS-1035 label). */
const MAX_SERVICE_NAME = 63;

export function gatewayApiIssues(config: WizardConfig): ConfigIssue[] {
  if (config.api !== 'gateway-api') return [];
  const issues: ConfigIssue[] = [];

  if (config.certs.storage === 'file-mount') {
    issues.push({
      path: ['certs', 'storage'],
      message:
        'file-mount is not available with api: gateway-api: a Gateway listener takes its certificate only from a ' +
        'Secret (tls.certificateRefs), never from files mounted into the gateway; use certs.storage: credentialName',
    });
  }

  // The Gateway API validates client certificates per port (spec.tls.frontend), not per host: all HTTPS hosts
  // share port 443, so they are either all MUTUAL or all SIMPLE.
  const https = config.hosts.map((h, i) => ({ h, i })).filter(({ h }) => h.protocol === 'HTTPS');
  const mutual = https.filter(({ h }) => h.tls?.mode === 'MUTUAL');
  const simple = https.filter(({ h }) => h.tls?.mode !== 'MUTUAL');
  if (mutual.length > 0 && simple.length > 0) {
    const m = mutual[0] as { i: number };
    const s = simple[0] as { i: number };
    issues.push({
      path: ['hosts', m.i, 'tls', 'mode'],
      message:
        `MUTUAL here but hosts[${s.i}] is SIMPLE on the same port 443: with api: gateway-api client-certificate ` +
        'validation (spec.tls.frontend) applies to a whole port, not to one host, because browsers reuse one HTTP/2 ' +
        'connection for every host its certificate covers (connection coalescing), so a per-host check could be ' +
        'bypassed; make every HTTPS host MUTUAL, or every one SIMPLE, or use api: istio (per-host MUTUAL)',
    });
  }

  const room =
    MAX_LISTENERS - (config.hosts.some((h) => h.protocol === 'HTTP') || config.gateway.httpsRedirect ? 1 : 0);
  if (https.length > room) {
    issues.push({
      path: ['hosts'],
      message:
        `${https.length} HTTPS hosts, but with api: gateway-api each HTTPS host is a listener of its own (its own ` +
        `hostname and certificate) and a Gateway holds at most ${MAX_LISTENERS} listeners (${room} here); cover ` +
        'hosts with a wildcard host (one listener, one certificate), or use api: istio',
    });
  }

  if (config.gateway.alsoMesh) {
    issues.push({
      path: ['gateway', 'alsoMesh'],
      message:
        'not available with api: gateway-api: a Gateway API mesh route (GAMMA) attaches to a Service, not to an ' +
        'external host name as a VirtualService bound to "mesh" does; set it to false, or use api: istio',
    });
  }

  if (config.gatewayApi.deployment === 'attach' && !attachedServiceName(config)) {
    const sel = Object.entries(config.gateway.selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    issues.push({
      path: ['gatewayApi', 'service'],
      message:
        `required with gatewayApi.deployment: attach when gateway.selector (${sel}) is not one of Istio's own ` +
        '(istio=ingressgateway, istio=ingress): the name of the existing gateway Service in ' +
        `${config.gateway.workloadNamespace} to attach to (kubectl get svc -n ${config.gateway.workloadNamespace})`,
    });
  }

  // One Service per version, `<app>-<version>`: the HTTPRoute's weighted backendRefs point at these.
  config.versions.forEach((v, i) => {
    const name = `${config.app}-${v.name}`;
    if (name.length <= MAX_SERVICE_NAME) return;
    issues.push({
      path: ['versions', i, 'name'],
      message:
        `with api: gateway-api each version gets a Service named <app>-<version>, and ${JSON.stringify(name)} is ` +
        `${name.length} characters (at most ${MAX_SERVICE_NAME}); shorten app or the version name`,
    });
  });
  return issues;
}
