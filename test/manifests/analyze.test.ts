// Each analyzer check must FIRE on a set broken in exactly one way (a mutated copy of a good set) and stay
// silent on the good sets (the golden test asserts that for every scenario).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WizardConfig } from '../../src/config/types.js';
import { WizardError } from '../../src/errors.js';
import { analysisError, analyzeManifests, formatFinding, hasErrors } from '../../src/manifests/analyze.js';
import { buildManifests } from '../../src/manifests/index.js';
import type { K8sObject } from '../../src/manifests/types.js';
import { fakeCerts, httpHost, httpsHost } from '../support/configs.js';
import { makeConfig } from './fixtures.js';

const sdsConfig = makeConfig({
  gateway: { ...makeConfig().gateway, httpsRedirect: true },
  hosts: [
    httpsHost('flask.example1.com', 'v2', 'MUTUAL'),
    httpsHost('flask.example2.com', 'v1'),
    httpHost('flask.example3.com', 'v1'),
  ],
});
const fileMountConfig = makeConfig({
  certs: { storage: 'file-mount', keyType: 'ecdsa-p256', validityDays: 1 },
  hosts: [httpsHost('flask.example1.com', 'v2', 'MUTUAL'), httpsHost('*.example2.com', 'v1')],
});

function build(config: WizardConfig): K8sObject[] {
  return buildManifests(config, { apiVersion: 'networking.istio.io/v1', certs: fakeCerts(config) });
}

function analyze(objects: K8sObject[], config: WizardConfig = sdsConfig) {
  return analyzeManifests(objects, { gatewayWorkloadNamespace: config.gateway.workloadNamespace });
}

/** A deep copy of the good set with `mutate` applied to it. */
function broken(config: WizardConfig, mutate: (objs: K8sObject[]) => void): K8sObject[] {
  const objs = structuredClone(build(config));
  mutate(objs);
  return objs;
}

const byKind = (objs: K8sObject[], kind: string, n = 0) =>
  objs.filter((o) => o.kind === kind)[n] as K8sObject;
const drop = (objs: K8sObject[], pred: (o: K8sObject) => boolean) => {
  const i = objs.findIndex(pred);
  if (i < 0) throw new Error('nothing to drop');
  objs.splice(i, 1);
};

interface Case {
  code: string;
  config?: WizardConfig;
  level?: 'error' | 'warning';
  mutate: (objs: K8sObject[]) => void;
  /** Substring the message must contain, so the finding points at the right thing. */
  says: string;
}

const CASES: Case[] = [
  {
    code: 'vs-gateway-not-found',
    mutate: (o) => drop(o, (x) => x.kind === 'Gateway'),
    says: 'default/flask-gateway',
  },
  {
    code: 'vs-gateway-not-found',
    mutate: (o) => {
      byKind(o, 'VirtualService').spec.gateways = ['istio-system/flask-gateway'];
    },
    says: 'istio-system/flask-gateway',
  },
  {
    code: 'vs-host-not-in-gateway',
    mutate: (o) => {
      byKind(o, 'VirtualService', 2).spec.hosts = ['other.example.com'];
    },
    says: 'other.example.com',
  },
  {
    code: 'vs-host-not-in-gateway',
    mutate: (o) => {
      // Host listed, but only for VirtualServices in another namespace.
      const gw = byKind(o, 'Gateway');
      gw.spec.servers[0].hosts = ['team-a/flask.example3.com'];
    },
    says: 'flask.example3.com',
  },
  {
    code: 'subset-not-defined',
    mutate: (o) => {
      byKind(o, 'DestinationRule').spec.subsets.pop();
    },
    says: 'subset v2',
  },
  {
    code: 'subset-not-defined',
    mutate: (o) => drop(o, (x) => x.kind === 'DestinationRule'),
    says: 'no DestinationRule',
  },
  {
    code: 'subset-selects-no-pods',
    mutate: (o) => drop(o, (x) => x.kind === 'Deployment' && x.metadata.name === 'flask-v2'),
    says: 'subset v2',
  },
  {
    code: 'subset-selects-no-pods',
    mutate: (o) => {
      byKind(o, 'DestinationRule').spec.subsets[0].labels = { version: 'V1' };
    },
    says: 'subset v1',
  },
  {
    code: 'destination-service-not-found',
    mutate: (o) => drop(o, (x) => x.kind === 'Service'),
    says: 'flask.default.svc.cluster.local',
  },
  {
    code: 'destination-port-not-found',
    mutate: (o) => {
      byKind(o, 'VirtualService').spec.http[0].route[0].destination.port.number = 8080;
    },
    says: 'port 8080',
  },
  {
    code: 'service-port-name-protocol',
    level: 'warning',
    mutate: (o) => {
      byKind(o, 'Service').spec.ports[0].name = 'web';
    },
    says: '"web"',
  },
  {
    code: 'gateway-port-name-duplicate',
    mutate: (o) => {
      const servers = byKind(o, 'Gateway').spec.servers;
      servers[3].port.name = servers[2].port.name;
    },
    says: 'https-flask-example1-com',
  },
  {
    code: 'gateway-tls-host-conflict',
    mutate: (o) => {
      const servers = byKind(o, 'Gateway').spec.servers;
      servers[3].hosts = ['flask.example1.com'];
    },
    says: 'flask.example1.com on port 443',
  },
  {
    code: 'gateway-tls-host-conflict',
    mutate: (o) => {
      // A second Gateway on the same workload claiming the same host:port.
      const second = structuredClone(byKind(o, 'Gateway'));
      second.metadata.name = 'other-gateway';
      second.spec.servers = [second.spec.servers[3]];
      second.spec.servers[0].port.name = 'https-other';
      o.push(second);
    },
    says: 'flask.example2.com on port 443',
  },
  {
    code: 'gateway-port-protocol-conflict',
    mutate: (o) => {
      byKind(o, 'Gateway').spec.servers[1].port.protocol = 'HTTPS';
    },
    says: 'port 80',
  },
  {
    code: 'credential-secret-not-found',
    mutate: (o) => drop(o, (x) => x.kind === 'Secret' && x.metadata.name === 'flask-example2-com-tls'),
    says: 'istio-system/flask-example2-com-tls',
  },
  {
    code: 'credential-secret-not-found',
    mutate: (o) => {
      // The classic mistake: Secret next to the Gateway instead of next to the gateway pods.
      for (const s of o.filter((x) => x.kind === 'Secret')) s.metadata.namespace = 'default';
    },
    says: "gateway workload's namespace",
  },
  {
    code: 'credential-secret-incomplete',
    mutate: (o) => {
      delete byKind(o, 'Secret').data['ca.crt'];
    },
    says: 'MUTUAL needs a client CA',
  },
  {
    code: 'credential-secret-incomplete',
    mutate: (o) => {
      delete byKind(o, 'Secret', 1).data['tls.key'];
    },
    says: 'lacks tls.crt/tls.key',
  },
  {
    code: 'mounted-cert-not-found',
    config: fileMountConfig,
    mutate: (o) => {
      delete byKind(o, 'Secret').data['_wildcard.example2.com-key.pem'];
    },
    says: '_wildcard.example2.com-key.pem',
  },
  {
    code: 'mounted-cert-not-found',
    config: fileMountConfig,
    mutate: (o) => drop(o, (x) => x.metadata.name === 'istio-ingressgateway-ca-certs'),
    says: 'istio-ingressgateway-ca-certs does not exist',
  },
];

describe('analyzeManifests', () => {
  it('is silent on the good sets it mutates', () => {
    expect(analyze(build(sdsConfig))).toEqual([]);
    expect(analyze(build(fileMountConfig), fileMountConfig)).toEqual([]);
  });

  it.each(CASES)('fires $code ($says)', ({ code, config = sdsConfig, level = 'error', mutate, says }) => {
    const findings = analyze(broken(config, mutate), config);
    const hits = findings.filter((f) => f.code === code);
    expect(hits.length, findings.map(formatFinding).join('\n')).toBeGreaterThan(0);
    expect(hits.every((f) => f.level === level)).toBe(true);
    expect(hits.map((f) => f.message).join('\n')).toContain(says);
    expect(hits[0]?.object).toMatch(/^[A-Za-z]+\/[a-z0-9-]+\/[a-z0-9.-]+$/);
    // A lone warning must not fail a run; any error must.
    expect(hasErrors(findings)).toBe(level === 'error');
  });

  it('turns error findings into one WizardError (exit 1) and ignores warnings', () => {
    expect(analysisError([])).toBeUndefined();
    const warnOnly = analyze(broken(sdsConfig, (o) => (byKind(o, 'Service').spec.ports[0].name = 'web')));
    expect(warnOnly).toHaveLength(1);
    expect(analysisError(warnOnly)).toBeUndefined();
    const err = analysisError(analyze(broken(sdsConfig, (o) => drop(o, (x) => x.kind === 'Gateway'))));
    expect(err).toBeInstanceOf(WizardError);
    expect(err?.exitCode).toBe(1);
    expect(err?.message).toMatch(
      /3 problems[\s\S]*vs-gateway-not-found VirtualService\/default\/flask-example1-com/,
    );
  });

  it('has a firing case for every code documented in analyze.ts, and documents every code it tests', () => {
    const source = readFileSync(new URL('../../src/manifests/analyze.ts', import.meta.url), 'utf8');
    const documented = [...source.matchAll(/^\/\/ {3}([a-z]+(?:-[a-z]+)+) {2,}/gm)].map((m) => m[1]);
    expect(documented.length).toBeGreaterThanOrEqual(13);
    expect(new Set(CASES.map((c) => c.code))).toEqual(new Set(documented));
  });

  it('resolves gateway references in another namespace and `mesh`', () => {
    const objs = structuredClone(build(sdsConfig));
    const gw = byKind(objs, 'Gateway');
    gw.metadata.namespace = 'edge';
    for (const vs of objs.filter((o) => o.kind === 'VirtualService'))
      vs.spec.gateways = ['edge/flask-gateway', 'mesh'];
    expect(analyze(objs)).toEqual([]);
  });

  it('accepts wildcard and namespaced gateway hosts that cover the VirtualService host', () => {
    const objs = structuredClone(build(sdsConfig));
    byKind(objs, 'Gateway').spec.servers[0].hosts = ['./*.example3.com'];
    expect(analyze(objs)).toEqual([]);
    byKind(objs, 'Gateway').spec.servers[0].hosts = ['*/*'];
    expect(analyze(objs)).toEqual([]);
  });
});
