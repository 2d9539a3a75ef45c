// Each bad config must fail with a UsageError (exit 2) whose issue lines are exactly these, in file order.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { EXIT, UsageError } from '../../src/errors.js';

/** A valid host list to append to configs whose problem lies elsewhere. */
const HOSTS = 'hosts:\n  - { name: a.example.com, protocol: HTTP, route: v1 }\n';
/** A 253-character host name, the longest DNS allows. */
const LONG_HOST = `${['a', 'b', 'c'].map((c) => c.repeat(63)).join('.')}.${'d'.repeat(61)}`;

interface Case {
  name: string;
  yaml: string;
  issues: string[];
}

const CASES: Case[] = [
  {
    name: 'enum value not allowed',
    yaml: `loadBalancer: FOO\n${HOSTS}`,
    issues: ['loadBalancer: "FOO" is not allowed (RANDOM, ROUND_ROBIN, LEAST_REQUEST)'],
  },
  {
    name: 'unknown key in gateway',
    yaml: `gateway: { colour: blue }\n${HOSTS}`,
    issues: [
      'gateway.colour: unknown key (allowed: name, selector, workloadNamespace, httpsRedirect, alsoMesh)',
    ],
  },
  {
    name: 'unknown top-level key',
    yaml: `namespaces: shop\n${HOSTS}`,
    issues: [
      'namespaces: unknown key (allowed: api, namespace, app, image, versions, loadBalancer, gateway, gatewayApi, hosts, certs, istio, build, verify)',
    ],
  },
  {
    name: 'route to an undefined version',
    yaml: 'hosts:\n  - { name: a.b, protocol: HTTP, routes: [{ subset: v1, weight: 1 }, { subset: v3, weight: 1 }] }\n',
    issues: ['hosts[0].routes[1].subset: "v3" is not a defined version (v1, v2)'],
  },
  {
    name: 'route shorthand to an undefined version',
    yaml: 'versions: [{ name: blue }]\nhosts:\n  - { name: a.b, protocol: HTTP, route: v1 }\n',
    issues: ['hosts[0].route: "v1" is not a defined version (blue)'],
  },
  {
    name: 'no hosts',
    yaml: 'namespace: shop\n',
    issues: ['hosts: required: list at least one host (name, protocol, route)'],
  },
  {
    name: 'empty host list',
    yaml: 'hosts: []\n',
    issues: ['hosts: required: list at least one host (name, protocol, route)'],
  },
  {
    name: 'missing protocol',
    yaml: 'hosts:\n  - { name: a.b, route: v1 }\n',
    issues: ['hosts[0].protocol: required (one of HTTP, HTTPS)'],
  },
  {
    name: 'missing host name and route',
    yaml: 'hosts:\n  - { protocol: HTTP }\n',
    issues: [
      'hosts[0].name: required',
      'hosts[0].routes: required (route: <version> or routes: [{ subset, weight }])',
    ],
  },
  {
    name: 'route and routes together',
    yaml: 'hosts:\n  - { name: a.b, protocol: HTTP, route: v1, routes: [{ subset: v1, weight: 1 }] }\n',
    issues: [
      'hosts[0]: give either route or routes, not both (route: v1 is short for routes: [{ subset: v1, weight: 100 }])',
    ],
  },
  {
    name: 'upper-case host name',
    yaml: 'hosts:\n  - { name: Flask.Example.com, protocol: HTTP, route: v1 }\n',
    issues: ['hosts[0].name: "Flask.Example.com" must be lower-case'],
  },
  {
    name: 'wildcard in the middle',
    yaml: 'hosts:\n  - { name: "a.*.example.com", protocol: HTTP, route: v1 }\n',
    issues: [
      'hosts[0].name: "a.*.example.com": a wildcard is only allowed as the whole left-most label, like *.example.com',
    ],
  },
  {
    name: 'partial wildcard label',
    yaml: 'hosts:\n  - { name: "*foo.example.com", protocol: HTTP, route: v1 }\n',
    issues: [
      'hosts[0].name: "*foo.example.com": a wildcard is only allowed as the whole left-most label, like *.example.com',
    ],
  },
  {
    name: 'underscore in a host label',
    yaml: 'hosts:\n  - { name: flask_app.example.com, protocol: HTTP, route: v1 }\n',
    issues: [
      `hosts[0].name: "flask_app.example.com": label "flask_app" is not valid (lower-case letters, digits and '-', starting and ending with a letter or digit)`,
    ],
  },
  {
    name: 'host label longer than 63',
    yaml: `hosts:\n  - { name: ${'a'.repeat(64)}.com, protocol: HTTP, route: v1 }\n`,
    issues: [
      `hosts[0].name: "${'a'.repeat(64)}.com": label "${'a'.repeat(64)}" is longer than 63 characters`,
    ],
  },
  {
    name: 'trailing dot in a host name',
    yaml: 'hosts:\n  - { name: a.example.com., protocol: HTTP, route: v1 }\n',
    issues: ['hosts[0].name: "a.example.com." has an empty label (a leading, doubled or trailing dot)'],
  },
  {
    name: 'duplicate hosts, case-insensitively',
    yaml: 'hosts:\n  - { name: a.b, protocol: HTTP, route: v1 }\n  - { name: A.B, protocol: HTTP, route: v2 }\n',
    issues: [
      'hosts[1].name: "A.B" must be lower-case',
      'hosts[1].name: "A.B" is already defined by hosts[0]',
    ],
  },
  {
    name: 'duplicate version names',
    yaml: `versions: [{ name: v1 }, { name: v2 }, { name: v1 }]\n${HOSTS}`,
    issues: ['versions[2].name: "v1" is already defined by versions[0]'],
  },
  {
    name: 'no versions',
    yaml: `versions: []\n${HOSTS}`,
    issues: ['versions: must list at least one version'],
  },
  {
    name: 'version name not a DNS label',
    yaml: 'versions: [{ name: V1 }, { name: v_2 }]\nhosts:\n  - { name: a.b, protocol: HTTP, route: V1 }\n',
    issues: [
      `versions[0].name: "V1" is not a valid DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)`,
      `versions[1].name: "v_2" is not a valid DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)`,
    ],
  },
  {
    name: 'replicas out of range and not a number',
    yaml: `versions: [{ name: v1, replicas: 1001 }, { name: v2, replicas: two }, { name: v3, replicas: 1.5 }]\n${HOSTS}`,
    issues: [
      'versions[0].replicas: 1001 must be a whole number from 0 to 1000',
      'versions[1].replicas: must be a number (got "two")',
      'versions[2].replicas: 1.5 must be a whole number from 0 to 1000',
    ],
  },
  {
    name: 'negative and fractional weights',
    yaml: 'hosts:\n  - { name: a.b, protocol: HTTP, routes: [{ subset: v1, weight: -1 }, { subset: v2, weight: 0.5 }] }\n',
    issues: [
      'hosts[0].routes[0].weight: -1 must be a whole number ≥ 0',
      'hosts[0].routes[1].weight: 0.5 must be a whole number ≥ 0',
    ],
  },
  {
    name: 'all weights zero',
    yaml: 'hosts:\n  - { name: a.b, protocol: HTTP, routes: [{ subset: v1, weight: 0 }, { subset: v2, weight: 0 }] }\n',
    issues: ['hosts[0].routes: all weights are 0; at least one must be greater than 0'],
  },
  {
    name: 'missing weight, duplicate subset, empty routes',
    yaml:
      'hosts:\n  - { name: a.b, protocol: HTTP, routes: [{ subset: v1 }, { subset: v1, weight: 5 }] }\n' +
      '  - { name: c.d, protocol: HTTP, routes: [] }\n',
    issues: [
      'hosts[0].routes[0].weight: required',
      'hosts[0].routes[1].subset: "v1" is already routed by routes[0] of this host',
      'hosts[1].routes: must list at least one route',
    ],
  },
  {
    name: 'tls on an HTTP host',
    yaml: 'hosts:\n  - { name: a.b, protocol: HTTP, tls: { mode: SIMPLE }, route: v1 }\n',
    issues: ['hosts[0].tls: only allowed on HTTPS hosts (this host is HTTP)'],
  },
  {
    name: 'bad protocol and tls mode',
    yaml: 'hosts:\n  - { name: a.b, protocol: https, route: v1 }\n  - { name: c.d, protocol: HTTPS, tls: { mode: PASSTHROUGH }, route: v1 }\n',
    issues: [
      'hosts[0].protocol: "https" is not allowed (HTTP, HTTPS)',
      'hosts[1].tls.mode: "PASSTHROUGH" is not allowed (SIMPLE, MUTUAL)',
    ],
  },
  {
    name: 'certFile without keyFile',
    yaml: 'hosts:\n  - { name: a.b, protocol: HTTPS, tls: { certFile: /nonexistent/a.crt }, route: v1 }\n',
    issues: [
      'hosts[0].tls.keyFile: required when certFile is given',
      'hosts[0].tls.certFile: cannot read /nonexistent/a.crt: no such file',
    ],
  },
  {
    name: 'keyFile without certFile',
    yaml: 'hosts:\n  - { name: a.b, protocol: HTTPS, tls: { keyFile: /nonexistent/a.key }, route: v1 }\n',
    issues: [
      'hosts[0].tls.certFile: required when keyFile is given',
      'hosts[0].tls.keyFile: cannot read /nonexistent/a.key: no such file',
    ],
  },
  {
    name: 'names Kubernetes would reject',
    yaml: `namespace: My-Shop\napp: 9lives\ngateway: { name: "gw!", workloadNamespace: istio.system }\n${HOSTS}`,
    issues: [
      `namespace: "My-Shop" is not a valid DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)`,
      'app: "9lives" must start with a letter (it names a Service)',
      `gateway.name: "gw!" is not a valid DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)`,
      `gateway.workloadNamespace: "istio.system" is not a valid DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)`,
    ],
  },
  {
    name: 'a dotted Gateway name (a VirtualService would read it as name.namespace)',
    yaml: `gateway: { name: gw.shop }\n${HOSTS}`,
    issues: [
      'gateway.name: "gw.shop" must not contain dots (Istio would read it as Gateway "gw" in namespace "shop")',
    ],
  },
  {
    name: 'a host too long to name a file-mount Secret key',
    yaml: `certs: { storage: file-mount }\nhosts:\n  - { name: "*.${LONG_HOST.slice(2)}", protocol: HTTPS, route: v1 }\n  - { name: ${LONG_HOST}, protocol: HTTP, route: v1 }\n`,
    issues: [
      'hosts[0].name: 253 characters is too long for certs.storage: file-mount (at most 237 here, so that the Secret key "<host>-key.pem" fits in 253); use certs.storage: credentialName',
    ],
  },
  {
    name: 'a __proto__ key is an unknown key, not a prototype (nor an empty map)',
    yaml: 'hosts:\n  - { name: a.example.com, protocol: HTTP, route: v1, __proto__: { route: v9 } }\ngateway: { selector: { __proto__: x } }\n',
    issues: [
      "gateway.selector.__proto__: label key \"__proto__\" is not valid (optional DNS prefix and '/', then letters, digits, '-', '_', '.', starting and ending with a letter or digit)",
      'hosts[0].__proto__: unknown key (allowed: name, protocol, tls, route, routes)',
    ],
  },
  {
    name: 'empty selector',
    yaml: `gateway: { selector: {} }\n${HOSTS}`,
    issues: [
      'gateway.selector: must not be empty (the labels of the gateway pods, e.g. { istio: ingressgateway })',
    ],
  },
  {
    name: 'bad selector key and value',
    yaml: `gateway: { selector: { "-istio": x, "example.com/app": "has space", version: 1 } }\n${HOSTS}`,
    issues: [
      `gateway.selector["-istio"]: label key "-istio" is not valid (optional DNS prefix and '/', then letters, digits, '-', '_', '.', starting and ending with a letter or digit)`,
      `gateway.selector["example.com/app"]: label value "has space" is not valid (letters, digits, '-', '_', '.', starting and ending with a letter or digit)`,
      'gateway.selector.version: must be a string (got 1)',
    ],
  },
  {
    name: 'booleans must be booleans (YAML 1.2: yes is a string)',
    yaml: `gateway: { httpsRedirect: yes }\nbuild: { enabled: "false" }\n${HOSTS}`,
    issues: [
      'gateway.httpsRedirect: must be true or false (got "yes")',
      'build.enabled: must be true or false (got "false")',
    ],
  },
  {
    name: 'certs limits and enums',
    yaml: `certs: { storage: secret, keyType: rsa-1024, validityDays: 0 }\n${HOSTS}`,
    issues: [
      'certs.storage: "secret" is not allowed (credentialName, file-mount)',
      'certs.keyType: "rsa-1024" is not allowed (ecdsa-p256, rsa-2048)',
      'certs.validityDays: 0 must be a whole number from 1 to 3650',
    ],
  },
  {
    name: 'validityDays too large',
    yaml: `certs: { validityDays: 3651 }\n${HOSTS}`,
    issues: ['certs.validityDays: 3651 must be a whole number from 1 to 3650'],
  },
  {
    name: 'verify ports, address and samples',
    yaml: `verify: { address: flask.local, httpPort: 0, httpsPort: 65536, samples: 99, timeoutSeconds: -5 }\n${HOSTS}`,
    issues: [
      'verify.address: "flask.local" is not an IPv4 or IPv6 address',
      'verify.httpPort: 0 must be a whole number from 1 to 65535',
      'verify.httpsPort: 65536 must be a whole number from 1 to 65535',
      'verify.timeoutSeconds: -5 must be a whole number from 1 to 3600',
      'verify.samples: 99 must be a whole number from 100 to 100000',
    ],
  },
  {
    name: 'build tool and load target',
    yaml: `build: { tool: buildah, load: kubectl }\n${HOSTS}`,
    issues: [
      'build.tool: "buildah" is not allowed (docker, podman, nerdctl)',
      'build.load: "kubectl" is not allowed (kind, minikube, k3d, push, none)',
    ],
  },
  {
    name: 'build context that does not exist',
    yaml: `build: { context: ./no-such-dir }\n${HOSTS}`,
    issues: ['build.context: /nonexistent-config-dir/no-such-dir does not exist'],
  },
  {
    name: 'istio apiVersion',
    yaml: `istio: { apiVersion: networking.istio.io/v2 }\n${HOSTS}`,
    issues: [
      'istio.apiVersion: "networking.istio.io/v2" is not allowed (auto, networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3, v1, v1beta1, v1alpha3)',
    ],
  },
  {
    name: 'image reference',
    yaml: `image: Python-Flask:v2\n${HOSTS}`,
    issues: ['image: "Python-Flask:v2": the repository name must be lower-case'],
  },
  {
    name: 'wrong container types',
    yaml: 'versions: v1\ngateway: [a]\nhosts: { name: a.b }\n',
    issues: [
      'versions: must be a list (got "v1")',
      'gateway: must be a mapping (got a list)',
      'hosts: must be a list (got a mapping)',
    ],
  },
  {
    name: 'the whole file is a list',
    yaml: '- a\n- b\n',
    issues: ['(top level): must be a mapping (got a list)'],
  },
  {
    name: 'many problems at once, reported in file order',
    yaml:
      'namespace: Bad\nloadBalancer: FOO\ngateway: { colour: blue }\n' +
      'hosts:\n  - { name: a.b, protocol: HTTP, tls: { mode: SIMPLE }, route: v9 }\nverify: { samples: 10 }\n',
    issues: [
      `namespace: "Bad" is not a valid DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)`,
      'loadBalancer: "FOO" is not allowed (RANDOM, ROUND_ROBIN, LEAST_REQUEST)',
      'gateway.colour: unknown key (allowed: name, selector, workloadNamespace, httpsRedirect, alsoMesh)',
      'hosts[0].route: "v9" is not a defined version (v1, v2)',
      'hosts[0].tls: only allowed on HTTPS hosts (this host is HTTP)',
      'verify.samples: 10 must be a whole number from 100 to 100000',
    ],
  },
];

function issuesOf(yaml: string): UsageError {
  try {
    parseConfig(yaml, { source: 'bad.yaml', configDir: '/nonexistent-config-dir' });
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error('expected the config to be rejected');
}

describe('bad configs', () => {
  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)('$name', ({ yaml, issues }) => {
    const err = issuesOf(yaml);
    expect(err.exitCode).toBe(EXIT.usage);
    expect(err.exitCode).toBe(2);
    expect(err.issues).toEqual(issues);
    expect(err.message).toBe(`invalid config bad.yaml\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  });
});

describe('bad YAML', () => {
  it.each([
    ['duplicate key', 'namespace: a\nnamespace: b\n', 'line 2, column 1: Map keys must be unique'],
    ['tab indentation', 'gateway:\n\tname: x\n', 'line 2, column 1: Tabs are not allowed as indentation'],
    ['unterminated quote', 'hosts:\n  - name: "a.b\n', 'line 3, column 1: Missing closing "quote'],
    [
      'two documents',
      'namespace: a\n---\nnamespace: b\n',
      'line 2, column 1: Source contains multiple documents; please use YAML.parseAllDocuments()',
    ],
  ])('%s names file, line and column', (_name, yaml, issue) => {
    const err = issuesOf(yaml);
    expect(err.exitCode).toBe(2);
    expect(err.message.split('\n')[0]).toBe('invalid YAML in bad.yaml');
    expect(err.issues).toEqual([issue]);
  });

  it('an undefined alias is a YAML error, not a crash', () => {
    const err = issuesOf('namespace: *nope\n');
    expect(err.issues).toEqual(['Unresolved alias (the anchor must be set before the alias): nope']);
  });
});
