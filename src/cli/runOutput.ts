// What a run prints besides the step events: the plan's cross-checks before it starts, the closing summary (with
// the curl commands to try), and a client dry-run's manifest stream on stdout.
import type { WizardConfig } from '../config/types.js';
import type { ClusterTarget } from '../io/types.js';
import { analysisError, analyzeManifests, formatFinding } from '../manifests/analyze.js';
import { REDACTED_ANNOTATION, redactSecrets, toYamlStream } from '../manifests/index.js';
import type { K8sObject } from '../manifests/types.js';
import { plannedObjects } from '../plan/objects.js';
import type { RunMode, RuntimeFlags, StepOutputs } from '../steps/types.js';
import { resolvePorts, resolveTarget } from '../verify/address.js';
import { requestHostFor } from '../verify/checks.js';
import { routeArgs } from '../verify/curl.js';
import type { CliArgs } from './args.js';
import { note } from './out.js';

/** The cross-checks `istioctl analyze` would make, on the whole plan, before anything is written. */
export function checkPlan(config: WizardConfig): void {
  const apiVersion = config.istio.apiVersion === 'auto' ? 'networking.istio.io/v1' : config.istio.apiVersion;
  const findings = analyzeManifests(plannedObjects(config, apiVersion), {
    gatewayWorkloadNamespace: config.gateway.workloadNamespace,
  });
  for (const f of findings) if (f.level === 'warning') note(`warning: ${formatFinding(f)}`);
  const err = analysisError(findings);
  if (err) throw err;
}

export function printManifests(objects: K8sObject[], args: CliArgs): void {
  const shown = args.includeSecrets ? objects : redactSecrets(objects);
  if (!args.includeSecrets && shown.some((o) => o.metadata.annotations?.[REDACTED_ANNOTATION])) {
    note(
      'private keys are redacted; add --include-secrets to print them (e.g. to pipe into kubectl apply -f -)',
    );
  }
  if (args.output === 'json') {
    process.stdout.write(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: shown }, null, 2)}\n`);
  } else {
    process.stdout.write(toYamlStream(shown));
  }
}

export function summaryLines(
  config: WizardConfig,
  outputs: StepOutputs,
  flags: RuntimeFlags,
  args: CliArgs,
): string[] {
  const lines: string[] = [];
  const certs = outputs['generate-certs'];
  if (certs) lines.push(`certificates: ${certs.caCert.replace(/\/ca\.crt$/, '')} (CA: ${certs.caCert})`);
  const applied = Object.values(outputs.applied ?? {}).flat();
  if (applied.length && flags.mode === 'live') lines.push(`applied ${applied.length} objects`);
  // The same address, ports and request names verify uses: --resolve takes only an IP (bracketed if IPv6), a
  // DNS-named load balancer needs --connect-to, and a wildcard host is tried with a concrete name.
  const pf = outputs.preflight;
  const { httpPort, httpsPort } = resolvePorts(config, flags, pf);
  let address: string | undefined;
  try {
    address = resolveTarget(config, flags, pf).address;
  } catch {
    // No address known yet (a dry-run without --address): a placeholder to fill in.
  }
  for (const h of config.hosts) {
    const host = requestHostFor(h.name);
    const port = h.protocol === 'HTTPS' ? httpsPort : httpPort;
    const scheme = h.protocol === 'HTTPS' ? 'https' : 'http';
    const route = address
      ? routeArgs(host, port, address).join(' ')
      : `--resolve ${host}:${port}:<INGRESS_IP>`;
    const tls =
      h.protocol === 'HTTPS' && certs
        ? ` --cacert ${certs.caCert}${h.tls?.mode === 'MUTUAL' && certs.hosts[h.name]?.clientCert ? ` --cert ${certs.hosts[h.name]?.clientCert} --key ${certs.hosts[h.name]?.clientKey}` : ''}`
        : '';
    lines.push(`try: curl ${route}${tls} ${scheme}://${host}:${port}/version`);
  }
  if (args.mode === 'client-dry-run') lines.push('dry-run: manifests printed on stdout; nothing was applied');
  return lines;
}

/** Which cluster the run talks to, said before the first step. */
export function noteTarget(target: ClusterTarget, mode: RunMode): void {
  note(
    target.offline
      ? 'cluster: none (client dry-run: nothing is sent anywhere)'
      : `cluster: context "${target.context}" at ${target.server}${mode === 'server-dry-run' ? ' (server dry-run: nothing persists)' : ''}`,
  );
}
