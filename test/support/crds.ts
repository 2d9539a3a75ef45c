// Installs the real CRDs from ../shared/fixtures/crds/ into a test API server (server-side apply), then waits until
// each is Established and its group is in discovery. `patch` rewrites a CRD before it is applied (e.g. to serve only
// v1beta1 for the `istio.apiVersion: auto` test).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { LiveCluster } from '../../src/io/kube/live.js';
import type { K8sObject } from '../../src/manifests/types.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CRD_DIR = path.resolve(REPO, '../shared/fixtures/crds');
export const ISTIO_CRDS = path.join(CRD_DIR, 'istio-1.30.3.yaml');
export const GATEWAY_API_CRDS = path.join(CRD_DIR, 'gateway-api-v1.6.1-standard.yaml');

export function readCrds(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => !!o && o.kind === 'CustomResourceDefinition');
}

/** Only the networking.istio.io CRDs the wizard uses (installing all 15 is slower and tests nothing more). */
export const wizardCrds = (crd: K8sObject): boolean =>
  ['destinationrules', 'virtualservices', 'gateways'].includes(crd.spec?.names?.plural) &&
  crd.spec?.group === 'networking.istio.io';

/** A patch that makes a CRD serve (and store) only `version`. */
export function serveOnly(version: string): (crd: K8sObject) => K8sObject {
  return (crd) => {
    const c = structuredClone(crd);
    c.spec.versions = c.spec.versions.map((v: { name: string }) => ({
      ...v,
      served: v.name === version,
      storage: v.name === version,
    }));
    return c;
  };
}

export async function installCrds(
  cluster: LiveCluster,
  opts: { file?: string; filter?: (crd: K8sObject) => boolean; patch?: (crd: K8sObject) => K8sObject } = {},
): Promise<string[]> {
  const crds = readCrds(opts.file ?? ISTIO_CRDS)
    .filter(opts.filter ?? (() => true))
    .map(opts.patch ?? ((c) => c));
  for (const crd of crds) await cluster.apply(crd, { forceConflicts: true });
  const names = crds.map((c) => c.metadata.name);
  const deadline = Date.now() + 60_000;
  for (const crd of crds) {
    for (;;) {
      const got = await cluster.get({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: crd.metadata.name,
      });
      const conds: { type: string; status: string }[] = got?.status?.conditions ?? [];
      if (conds.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata.name} not Established after 60 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Discovery can lag Established by a moment: wait until every served version is listed.
    const served = crd.spec.versions
      .filter((v: { served: boolean }) => v.served)
      .map((v: { name: string }) => v.name);
    for (;;) {
      const versions = await cluster.servedVersions(crd.spec.group);
      if (served.every((v: string) => versions.includes(v))) break;
      if (Date.now() > deadline) throw new Error(`group ${crd.spec.group} not in discovery after 60 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  cluster.resources.reset();
  return names;
}

/** Deletes CRDs (and with them every object of their kinds) and waits until they are gone. */
export async function uninstallCrds(cluster: LiveCluster, names: string[]): Promise<void> {
  for (const name of names) {
    await cluster.delete({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name });
  }
  const deadline = Date.now() + 60_000;
  for (const name of names) {
    while (
      await cluster.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name })
    ) {
      if (Date.now() > deadline) throw new Error(`CRD ${name} still present after 60 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  cluster.resources.reset();
}
