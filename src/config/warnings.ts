// Things that are allowed but probably not what the person wants; printed, never fatal.
import { toPercentages } from '../manifests/weights.js';
import type { WizardConfig } from './types.js';

export function configWarnings(config: WizardConfig): string[] {
  const warnings: string[] = [];
  const https = config.hosts.filter((h) => h.protocol === 'HTTPS');

  if (config.certs.storage === 'file-mount') {
    warnings.push(
      'certs.storage: file-mount is legacy: it only works on Istio installs whose ingress gateway still mounts the ' +
        'istio-ingressgateway-certs secret (from before SDS and credentialName became the default); ' +
        'use credentialName unless your gateway is that old',
    );
    config.hosts.forEach((h, i) => {
      if (h.tls?.mode === 'MUTUAL') {
        warnings.push(
          `hosts[${i}].tls.mode: MUTUAL with file-mount works only if the gateway also mounts the legacy ` +
            'istio-ingressgateway-ca-certs secret',
        );
      }
    });
  }

  if (config.hosts.length > 0) {
    const routedSubsets = new Set(
      config.hosts.flatMap((h) => h.routes.filter((r) => r.weight > 0).map((r) => r.subset)),
    );
    config.versions.forEach((v, i) => {
      const routed = routedSubsets.has(v.name);
      if (!routed) warnings.push(`versions[${i}]: no host routes traffic to ${JSON.stringify(v.name)}`);
    });
  }

  const versionsByName = new Map(config.versions.map((v) => [v.name, v]));
  config.hosts.forEach((h, i) => {
    h.routes.forEach((r, j) => {
      const version = versionsByName.get(r.subset);
      if (version?.replicas === 0 && r.weight > 0) {
        warnings.push(
          `hosts[${i}].routes[${j}]: version ${JSON.stringify(r.subset)} has 0 replicas, so its share of ` +
            'requests will fail with 503',
        );
      }
    });
  });

  // Istio matches `*.example.com` against any deeper name. Where one host's wildcard covers another, the gateway
  // builds one route table for the narrower name from BOTH VirtualServices (the older one's route first), so the
  // narrower host may get the wildcard's routes.
  // Linear: each host looks up the wildcards that could cover it (one per parent domain) instead of scanning all.
  const wildcards = new Map<string, number>();
  config.hosts.forEach((w, i) => {
    if (w.name.startsWith('*.') && !wildcards.has(w.name.slice(1))) wildcards.set(w.name.slice(1), i);
  });
  config.hosts.forEach((h, i) => {
    let wider: number | undefined;
    for (
      let dot = h.name.indexOf('.', 1);
      dot >= 0 && wider === undefined;
      dot = h.name.indexOf('.', dot + 1)
    ) {
      const j = wildcards.get(h.name.slice(dot));
      if (j !== undefined && j !== i) wider = j;
    }
    const w = wider === undefined ? undefined : config.hosts[wider];
    if (!w) return;
    warnings.push(
      `hosts[${i}].name: ${h.name} is also matched by hosts[${wider}] (${w.name}); Istio merges both hosts' ` +
        `routes for ${h.name} and the older VirtualService's come first, so ${h.name} may be routed like ${w.name}`,
    );
  });

  // Istio takes whole percentages: a small positive share can round down to none at all.
  config.hosts.forEach((h, i) => {
    const live = h.routes.filter((r) => r.weight > 0);
    if (live.length < 2) return;
    const total = live.reduce((sum, r) => sum + r.weight, 0);
    const pct = toPercentages(live.map((r) => r.weight));
    live.forEach((r, k) => {
      if (pct[k] !== 0) return;
      warnings.push(
        `hosts[${i}].routes[${h.routes.indexOf(r)}]: weight ${r.weight} of ${total} rounds to 0% (Istio takes ` +
          `whole percentages), so ${JSON.stringify(r.subset)} gets no traffic from ${h.name}`,
      );
    });
  });

  if (config.gateway.httpsRedirect && config.hosts.length > 0 && https.length === 0) {
    warnings.push('gateway.httpsRedirect: has no effect: no host uses HTTPS');
  }
  return warnings;
}
