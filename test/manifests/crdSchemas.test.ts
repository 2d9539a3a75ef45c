// The schema check itself must be able to fail: misspelt fields, bad enums, wrong types, unserved versions,
// unknown kinds, CEL rules and metadata are each shown to be caught on an otherwise valid object.
import { describe, expect, it } from 'vitest';
import { ISTIO_API_VERSIONS } from '../../src/config/types.js';
import { buildDeployments } from '../../src/manifests/deployments.js';
import { buildDestinationRule } from '../../src/manifests/destinationRule.js';
import { buildGateway } from '../../src/manifests/gateway.js';
import { buildTlsSecrets } from '../../src/manifests/secrets.js';
import { buildService } from '../../src/manifests/service.js';
import type { K8sObject } from '../../src/manifests/types.js';
import { buildVirtualServices } from '../../src/manifests/virtualServices.js';
import { fakeCerts, weightedHost } from '../support/configs.js';
import { parseGoDuration, validateAgainstCrd } from '../support/crdSchemas.js';
import { validateCoreObject } from './coreShapes.js';
import { makeConfig } from './fixtures.js';

const config = makeConfig({
  hosts: [...makeConfig().hosts, weightedHost('w.example.com', 'HTTP', { v1: 1, v2: 3 })],
});
const V1 = 'networking.istio.io/v1' as const;
const gateway = () => structuredClone(buildGateway(config, V1));
const vs = () => structuredClone(buildVirtualServices(config, V1)[2] as K8sObject);
const dr = () => structuredClone(buildDestinationRule(config, V1));

function errorsAfter(
  make: () => K8sObject,
  mutate: (o: K8sObject) => void,
  opts?: { open?: boolean },
): string[] {
  const o = make();
  mutate(o);
  return validateAgainstCrd(o, opts);
}

describe('validateAgainstCrd', () => {
  it.each(ISTIO_API_VERSIONS)(
    'accepts the emitted Gateway, VirtualService and DestinationRule as %s',
    (v) => {
      for (const o of [
        buildGateway(config, v),
        ...buildVirtualServices(config, v),
        buildDestinationRule(config, v),
      ]) {
        expect(validateAgainstCrd(o)).toEqual([]);
      }
    },
  );

  it('catches a misspelt field (spec.servers[0].port.numbr) that the raw, unclosed schema lets through', () => {
    const mutate = (o: K8sObject) => {
      o.spec.servers[0].port.numbr = 443;
    };
    expect(errorsAfter(gateway, mutate)).toEqual(['/spec/servers/0/port: unknown field "numbr"']);
    // Why closing is needed: the published schema has no additionalProperties:false anywhere.
    expect(errorsAfter(gateway, mutate, { open: true })).toEqual([]);
  });

  it('catches unknown fields at every depth we emit', () => {
    expect(errorsAfter(vs, (o) => (o.spec.http[0].route[0].destination.subsett = 'v1'))).toEqual([
      '/spec/http/0/route/0/destination: unknown field "subsett"',
    ]);
    expect(errorsAfter(dr, (o) => (o.spec.trafficPolicy.loadBalancer.simpel = 'RANDOM'))).toEqual([
      '/spec/trafficPolicy/loadBalancer: unknown field "simpel"',
    ]);
    expect(errorsAfter(gateway, (o) => (o.spec.servers[1].tls.credentialNmae = 'x'))).toContain(
      '/spec/servers/1/tls: unknown field "credentialNmae"',
    );
    expect(errorsAfter(gateway, (o) => (o.spek = {}))).toContain('/: unknown field "spek"');
  });

  it('catches wrong enums, types, ranges and missing required fields', () => {
    expect(errorsAfter(gateway, (o) => (o.spec.servers[1].tls.mode = 'SIMPLEX')).join()).toMatch(/tls\/mode/);
    expect(errorsAfter(gateway, (o) => (o.spec.servers[0].port.number = '443')).join()).toMatch(
      /must be integer/,
    );
    expect(errorsAfter(gateway, (o) => delete o.spec.servers[0].port.name).join()).toMatch(/name/);
    expect(errorsAfter(dr, (o) => (o.spec.trafficPolicy.loadBalancer.simple = 'FASTEST')).join()).toMatch(
      /loadBalancer\/simple/,
    );
    expect(errorsAfter(vs, (o) => (o.spec.http[0].route[0].weight = 2 ** 31)).join()).toMatch(/int32/);
    expect(errorsAfter(vs, (o) => (o.spec.hosts = 'w.example.com')).join()).toMatch(/must be array/);
  });

  it('evaluates the CEL rules by hand (credentialName vs credentialNames, durations)', () => {
    expect(errorsAfter(gateway, (o) => (o.spec.servers[1].tls.credentialNames = ['a']))).toEqual([
      '/spec/servers/1/tls: only one of credentialName or credentialNames can be set',
    ]);
    expect(errorsAfter(vs, (o) => (o.spec.http[0].timeout = '0.5ms')).join()).toMatch(/timeout/);
    expect(errorsAfter(vs, (o) => (o.spec.http[0].timeout = '5s'))).toEqual([]);
    expect(parseGoDuration('1h2m3.5s')).toBe(3723.5e9);
    expect(parseGoDuration('5')).toBeNaN();
  });

  it('refuses versions the CRD does not serve and kinds it does not know', () => {
    expect(errorsAfter(gateway, (o) => (o.apiVersion = 'networking.istio.io/v2'))[0]).toMatch(
      /has no version v2/,
    );
    expect(errorsAfter(gateway, (o) => (o.kind = 'Gatway'))[0]).toMatch(/no CRD for kind Gatway/);
    expect(validateAgainstCrd({ kind: 'Gateway' })).toEqual(['apiVersion and kind are required']);
  });

  it('checks metadata the way the apiserver does', () => {
    expect(errorsAfter(gateway, (o) => (o.metadata.name = 'Flask_Gateway')).join()).toMatch(/metadata\/name/);
    expect(errorsAfter(gateway, (o) => (o.metadata.labels = { app: 'a b' })).join()).toMatch(
      /metadata\/labels/,
    );
    expect(
      errorsAfter(gateway, (o) => ((o.metadata as unknown as Record<string, string>).uid = 'x')).join(),
    ).toMatch(/unknown field "uid"/);
  });

  it('validates Gateway API CRDs too, and reports CEL rules it cannot evaluate instead of skipping them', () => {
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'default' },
      spec: { hostnames: ['a.example.com'] },
    };
    expect(validateAgainstCrd(route)).toEqual([]);
    expect(validateAgainstCrd({ ...route, spec: { hostnames: ['a.example.com'], hostnamez: [] } })).toEqual([
      '/spec: unknown field "hostnamez"',
    ]);
    // Path matches carry Gateway API CEL rules we did not implement (the wizard emits none): loud, not silent.
    const withMatch = validateAgainstCrd({
      ...route,
      spec: { rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/x' } }] }] },
    });
    expect(withMatch.length).toBeGreaterThan(0);
    for (const e of withMatch)
      expect(e).toMatch(/^\/spec\/rules\/0\/matches\/0\/path: CEL rule not evaluated offline/);
  });
});

describe('validateCoreObject (hand-written closed shapes)', () => {
  const core = () => [
    ...buildDeployments(config),
    buildService(config),
    ...buildTlsSecrets(config, fakeCerts(config)),
  ];

  it('accepts what the builders emit', () => {
    for (const o of core()) expect(validateCoreObject(o), `${o.kind}/${o.metadata.name}`).toEqual([]);
  });

  it('catches misspelt fields, bad values and broken cross-field rules', () => {
    const [dep, , svc, secret] = structuredClone(core());
    if (!dep || !svc || !secret) throw new Error('fixture changed');
    dep.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes';
    dep.spec.template.spec.containers[0].readinessProbe.httpGet.port = 9999;
    dep.spec.selector.matchLabels.version = 'v9';
    dep.spec.replica = 2;
    const depErrors = validateCoreObject(dep).join('\n');
    expect(depErrors).toMatch(/imagePullPolicy: must be equal to one of the allowed values/);
    expect(depErrors).toContain('/spec: unknown field "replica"');
    expect(depErrors).toContain('selector version=v9 does not match');
    expect(depErrors).toContain('readinessProbe port 9999 is not a container port');
    svc.spec.ports[0].port = 70000;
    svc.spec.ports[0].targetPort = 'this-name-is-too-long-for-iana';
    const svcErrors = validateCoreObject(svc).join('\n');
    expect(svcErrors).toContain('/spec/ports/0/port: must be <= 65535');
    expect(svcErrors).toContain('/spec/ports/0/targetPort: must match a schema in anyOf');
    delete secret.data['tls.key'];
    secret.data['bad/key'] = 'not base64!';
    expect(validateCoreObject(secret).join('\n')).toMatch(
      /property name[\s\S]*pattern[\s\S]*tls\.key is required/,
    );
    expect(validateCoreObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } })).toEqual([
      'no core shape for v1 Pod',
    ]);
  });
});
