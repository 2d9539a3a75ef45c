// Host arithmetic the analyzer needs, following Istio's rules: short Service names resolve against the
// namespace of the object that names them, and Gateway hosts may carry a `namespace/` prefix.

const CLUSTER_SUFFIX = 'svc.cluster.local';

/** `flask` (in ns) → `flask.ns.svc.cluster.local`; `flask.other` → `flask.other.svc.cluster.local`. */
export function resolveServiceHost(host: string, namespace: string): string {
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${namespace}.${CLUSTER_SUFFIX}`;
  if (parts.length === 2) return `${host}.${CLUSTER_SUFFIX}`;
  if (parts.length === 3 && parts[2] === 'svc') return `${host}.cluster.local`;
  return host;
}

/** `name.ns.svc.cluster.local` → { name, namespace }, or undefined for hosts outside the cluster. */
export function parseServiceFqdn(fqdn: string): { name: string; namespace: string } | undefined {
  const m = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(fqdn);
  return m ? { name: m[1] as string, namespace: m[2] as string } : undefined;
}

/** True when the two (possibly wildcard) DNS names overlap: either one covers the other. */
export function hostsOverlap(a: string, b: string): boolean {
  const covers = (wild: string, name: string) =>
    wild === '*' || wild === name || (wild.startsWith('*.') && name.endsWith(wild.slice(1)));
  return covers(a, b) || covers(b, a);
}

/**
 * Whether a Gateway server host (`host`, `ns/host`, `./host`, `*\/host`) exposes `vsHost` to a VirtualService in
 * `vsNamespace`, the Gateway itself being in `gatewayNamespace`.
 */
export function gatewayHostServes(
  gatewayHost: string,
  gatewayNamespace: string,
  vsHost: string,
  vsNamespace: string,
): boolean {
  const slash = gatewayHost.indexOf('/');
  const ns = slash < 0 ? '*' : gatewayHost.slice(0, slash);
  const dns = slash < 0 ? gatewayHost : gatewayHost.slice(slash + 1);
  const nsOk = ns === '*' || (ns === '.' ? vsNamespace === gatewayNamespace : ns === vsNamespace);
  return nsOk && hostsOverlap(dns, vsHost);
}
