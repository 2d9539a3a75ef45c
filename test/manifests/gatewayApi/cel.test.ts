// The hand-written Gateway API CEL rules must be able to fail: each is shown rejecting a broken copy of an emitted
// object, with the CRD's own message.
import { describe, expect, it } from 'vitest';
import { buildKubernetesGateway } from '../../../src/manifests/gatewayApi/gateway.js';
import { buildHttpRoutes } from '../../../src/manifests/gatewayApi/routes.js';
import type { K8sObject } from '../../../src/manifests/types.js';
import { validateAgainstCrd } from '../../support/crdSchemas.js';
import { GATEWAY_API_SCENARIOS } from './scenarios.js';

const scenario = (name: string) => {
  const s = GATEWAY_API_SCENARIOS.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario ${name}`);
  return s.config;
};
const gateway = () => structuredClone(buildKubernetesGateway(scenario('https-redirect')));
const routes = () => structuredClone(buildHttpRoutes(scenario('https-redirect')));

function errorsAfter(o: K8sObject, mutate: (o: K8sObject) => void): string {
  mutate(o);
  return validateAgainstCrd(o).join('\n');
}

describe('Gateway API CEL rules (offline)', () => {
  it('accept the emitted objects', () => {
    expect(validateAgainstCrd(gateway())).toEqual([]);
    for (const r of routes()) expect(validateAgainstCrd(r)).toEqual([]);
  });

  it('reject duplicate listener names and duplicate port/protocol/hostname', () => {
    expect(errorsAfter(gateway(), (g) => (g.spec.listeners[2].name = g.spec.listeners[1].name))).toContain(
      'Listener name must be unique within the Gateway',
    );
    expect(
      errorsAfter(gateway(), (g) => (g.spec.listeners[2].hostname = g.spec.listeners[1].hostname)),
    ).toContain('Combination of port, protocol and hostname must be unique for each listener');
  });

  it('reject TLS on an HTTP listener and an HTTPS listener without certificates', () => {
    expect(
      errorsAfter(
        gateway(),
        (g) => (g.spec.listeners[0].tls = { mode: 'Terminate', certificateRefs: [{ name: 'x' }] }),
      ),
    ).toContain("tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']");
    expect(errorsAfter(gateway(), (g) => (g.spec.listeners[1].tls.certificateRefs = []))).toMatch(
      /certificateRefs or options must be specified when mode is Terminate/,
    );
  });

  it('reject a malformed or duplicated Hostname address', () => {
    expect(errorsAfter(gateway(), (g) => (g.spec.addresses[0].value = 'Not_A_Host'))).toMatch(
      /Hostname value must be empty or contain only valid characters/,
    );
    expect(errorsAfter(gateway(), (g) => g.spec.addresses.push({ ...g.spec.addresses[0] }))).toContain(
      'Hostname values must be unique',
    );
  });

  it('reject a redirect rule that also has backends, and mixed sectionName on one parent', () => {
    const [host, , , redirect] = routes();
    if (!host || !redirect) throw new Error('fixture changed');
    expect(
      errorsAfter(redirect, (r) => (r.spec.rules[0].backendRefs = host.spec.rules[0].backendRefs)),
    ).toContain('RequestRedirect filter must not be used together with backendRefs');
    expect(
      errorsAfter(host, (r) => r.spec.parentRefs.push({ ...r.spec.parentRefs[0], sectionName: undefined })),
    ).toMatch(
      /sectionName must be specified when parentRefs includes 2 or more references to the same parent/,
    );
    expect(errorsAfter(host, (r) => r.spec.parentRefs.push({ ...r.spec.parentRefs[0] }))).toMatch(
      /sectionName must be unique when parentRefs includes 2 or more references to the same parent/,
    );
  });

  it('reject a filter whose type does not name its field, and two redirects in one rule', () => {
    const redirect = routes()[3] as K8sObject;
    expect(
      errorsAfter(structuredClone(redirect), (r) => (r.spec.rules[0].filters[0].type = 'URLRewrite')),
    ).toMatch(/filter.requestRedirect must be nil if the filter.type is not RequestRedirect/);
    expect(
      errorsAfter(structuredClone(redirect), (r) => r.spec.rules[0].filters.push(r.spec.rules[0].filters[0])),
    ).toMatch(/RequestRedirect filter cannot be repeated/);
  });
});
