// The cross-object checks `istioctl analyze` makes, run offline on the set the wizard is about to apply, so a
// broken combination is caught before it reaches the cluster. Codes and the Istio messages they mirror:
//   vs-gateway-not-found            IST0101 ReferencedResourceNotFound (gateway)
//   vs-host-not-in-gateway          IST0132 VirtualServiceHostNotFoundInGateway
//   destination-service-not-found   IST0101 ReferencedResourceNotFound (host)
//   destination-port-not-found      (route port missing on the Service)
//   subset-not-defined              IST0101 ReferencedResourceNotFound (subset)
//   subset-selects-no-pods          (no pod template matches Service selector + subset labels → 503s)
//   service-port-name-protocol      IST0118 PortNameIsNotUnderNamingConvention (warning)
//   gateway-port-name-duplicate     (Istio rejects duplicate server port names)
//   gateway-tls-host-conflict       IST0145 ConflictingGateways
//   gateway-port-protocol-conflict  (one port, two protocols on one workload)
//   credential-secret-not-found     IST0101 ReferencedResourceNotFound (credentialName)
//   credential-secret-incomplete    (missing tls.crt/tls.key, or ca.crt for MUTUAL)
//   mounted-cert-not-found          (file-mount path whose Secret key is missing)

import { WizardError } from '../errors.js';
import { type AnalyzeOptions, type Finding, ObjectSet } from './analyzeContext.js';
import { checkGatewayCertificates, checkGatewayConflicts, checkGatewayPortNames } from './analyzeGateway.js';
import {
  checkDestinations,
  checkServicePortNames,
  checkSubsetPods,
  checkVirtualServiceGateways,
} from './analyzeRouting.js';
import { GATEWAY_API_CHECKS } from './gatewayApi/analyze.js';
import type { K8sObject } from './types.js';

export type { AnalyzeOptions, Finding } from './analyzeContext.js';

const CHECKS = [
  checkVirtualServiceGateways,
  checkDestinations,
  checkSubsetPods,
  checkServicePortNames,
  checkGatewayPortNames,
  checkGatewayConflicts,
  checkGatewayCertificates,
  // The Gateway API's rules (src/manifests/gatewayApi/analyze.ts lists their codes).
  ...GATEWAY_API_CHECKS,
];

/** Findings in a stable order: by check, then by object order in `objects`. */
export function analyzeManifests(objects: readonly K8sObject[], opts: AnalyzeOptions): Finding[] {
  const set = new ObjectSet(objects, opts);
  return CHECKS.flatMap((check) => check(set));
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.level === 'error');
}

/** One line per finding, for logs: `error vs-host-not-in-gateway VirtualService/default/x: …`. */
export function formatFinding(f: Finding): string {
  return `${f.level} ${f.code} ${f.object}: ${f.message}`;
}

/** A WizardError (exit 1) listing every error finding, or undefined when there is none. Warnings are the caller's to log. */
export function analysisError(findings: readonly Finding[]): WizardError | undefined {
  const errors = findings.filter((f) => f.level === 'error');
  if (errors.length === 0) return undefined;
  return new WizardError(
    `the manifests would not work together (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n${errors
      .map((f) => `  - ${formatFinding(f)}`)
      .join('\n')}`,
    undefined,
    'this is a bug in the wizard if the config validated; please report it with the dry-run output',
  );
}
