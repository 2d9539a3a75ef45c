import { describe, expect, it } from 'vitest';
import {
  checkDnsLabel,
  checkGatewayName,
  checkHostName,
  checkImageRef,
  checkIntRange,
  checkIp,
  checkLabelKey,
  checkLabelValue,
  checkNamespace,
  checkObjectName,
  checkPort,
  checkServiceName,
  checkWeight,
} from '../../src/config/rules.js';

const LABEL_RULE = "lower-case letters, digits and '-', starting and ending with a letter or digit";

function accepts<T>(check: (v: T) => string | undefined, values: T[]) {
  for (const v of values) expect(check(v), `${String(v)} should be accepted`).toBeUndefined();
}

function rejects<T>(check: (v: T) => string | undefined, values: T[]) {
  for (const v of values) expect(check(v), `${String(v)} should be rejected`).toEqual(expect.any(String));
}

describe('checkDnsLabel / checkNamespace', () => {
  it('accepts DNS-1123 labels up to 63 characters', () => {
    accepts(checkDnsLabel, ['v1', 'a', '0', 'blue-green', '1abc', 'a'.repeat(63)]);
    accepts(checkNamespace, ['default', 'istio-system']);
  });
  it('rejects everything else with a reason', () => {
    expect(checkDnsLabel('')).toBe('must not be empty');
    expect(checkDnsLabel('a'.repeat(64))).toBe(`"${'a'.repeat(64)}" is longer than 63 characters`);
    expect(checkDnsLabel('V1')).toBe(`"V1" is not a valid DNS-1123 label (${LABEL_RULE})`);
    rejects(checkDnsLabel, ['-a', 'a-', 'a.b', 'a_b', 'a b', 'ä']);
    rejects(checkNamespace, ['istio.system', 'Default']);
  });
});

describe('checkServiceName', () => {
  it('needs a leading letter on top of the DNS label rules', () => {
    accepts(checkServiceName, ['flask', 'web-1']);
    expect(checkServiceName('9lives')).toBe('"9lives" must start with a letter (it names a Service)');
    rejects(checkServiceName, ['Flask', 'a.b', '']);
  });
});

describe('checkGatewayName', () => {
  it('accepts a DNS-1123 label', () => {
    accepts(checkGatewayName, ['flask-gateway', 'a', 'a'.repeat(63)]);
  });
  it('rejects dots, which Istio resolves as name.namespace, and anything that is not a label', () => {
    expect(checkGatewayName('gw.shop.svc')).toBe(
      '"gw.shop.svc" must not contain dots (Istio would read it as Gateway "gw" in namespace "shop")',
    );
    rejects(checkGatewayName, ['', 'Gw', 'a..b', '.a', 'a.', 'gw!', 'a'.repeat(64)]);
  });
});

describe('checkObjectName', () => {
  it('accepts DNS-1123 subdomains up to 253 characters', () => {
    accepts(checkObjectName, ['flask-gateway', 'gw.shop', 'a', `${'a'.repeat(63)}.${'b'.repeat(63)}`]);
    accepts(checkObjectName, [Array.from({ length: 4 }, () => 'a'.repeat(62)).join('.')]);
  });
  it('rejects upper case, bad characters, empty labels and length > 253', () => {
    expect(checkObjectName('Gw')).toBe('"Gw" must be lower-case');
    expect(checkObjectName('a..b')).toBe('"a..b" has an empty label (a leading, doubled or trailing dot)');
    expect(checkObjectName('a'.repeat(254))).toMatch(/is longer than 253 characters$/);
    rejects(checkObjectName, ['', '.a', 'a.', 'a_b', '-a', 'a/b']);
  });
});

describe('checkHostName', () => {
  it('accepts host names and a whole left-most wildcard label', () => {
    accepts(checkHostName, [
      'flask.example1.com',
      'localhost',
      '*.example.com',
      '*.a',
      'xn--bcher-kva.example',
    ]);
  });
  it('rejects an all-digit last label, as Istio does (IP addresses are not host names)', () => {
    expect(checkHostName('10.0.0.1')).toBe(
      '"10.0.0.1": the last label "1" is all digits; Istio rejects that (an IP address is not a host name)',
    );
    rejects(checkHostName, ['*.example.123', '8080']);
    accepts(checkHostName, ['123.example.com', 'a.1b', '*.0x1']);
  });
  it('asks for the punycode form of an internationalised name, and offers it', () => {
    expect(checkHostName('bücher.example')).toBe(
      '"bücher.example": an internationalised name must be written in its ASCII (punycode) form "xn--bcher-kva.example"',
    );
    expect(checkHostName('*.bücher.example')).toMatch(/form "\*\.xn--bcher-kva\.example"$/);
    expect(checkHostName('a b.ü')).toBe(
      '"a b.ü": an internationalised name must be written in its ASCII (punycode) form',
    );
  });
  it('rejects wildcards anywhere else', () => {
    const rule = 'a wildcard is only allowed as the whole left-most label, like *.example.com';
    for (const v of ['*', '*.', '**.a.com', '*a.com', 'a.*.com', 'a.com.*', '*.*.a.com']) {
      expect(checkHostName(v), v).toMatch(/wildcard/);
    }
    expect(checkHostName('a.*.com')).toBe(`"a.*.com": ${rule}`);
    expect(checkHostName('*')).toBe(`"*": ${rule}`);
  });
  it('names the offending label and keeps the wildcard in messages', () => {
    expect(checkHostName('*.Example.com')).toBe('"*.Example.com" must be lower-case');
    expect(checkHostName('*.a_b.com')).toBe(`"*.a_b.com": label "a_b" is not valid (${LABEL_RULE})`);
    expect(checkHostName(`${'x'.repeat(64)}.com`)).toBe(
      `"${'x'.repeat(64)}.com": label "${'x'.repeat(64)}" is longer than 63 characters`,
    );
  });
  it('limits the whole name to 253 characters, wildcard included', () => {
    const name = `${Array.from({ length: 4 }, () => 'a'.repeat(62)).join('.')}b`; // 252 characters
    expect(checkHostName(name)).toBeUndefined();
    expect(checkHostName(`*.${name.slice(1)}`)).toBeUndefined();
    expect(checkHostName(`*.${name}`)).toBe(`"*.${name.slice(0, 74)}…" is longer than 253 characters`);
  });
});

describe('checkLabelKey / checkLabelValue', () => {
  it('accepts Kubernetes label syntax, with an optional DNS prefix', () => {
    accepts(checkLabelKey, [
      'istio',
      'app.kubernetes.io/name',
      'example.com/Some_Key.x',
      'A',
      'a'.repeat(63),
    ]);
    accepts(checkLabelValue, ['', 'ingressgateway', 'Ingress_1.0', 'a'.repeat(63)]);
  });
  it('rejects bad names, prefixes and lengths', () => {
    rejects(checkLabelKey, ['', '/a', 'a/', '-a', 'a-', 'a b', 'Example.com/a', 'a/b/c', 'a'.repeat(64)]);
    rejects(checkLabelValue, ['-a', 'a-', 'a b', 'a/b', 'a'.repeat(64)]);
    expect(checkLabelKey('EX.com/a')).toBe(
      `label key "EX.com/a": the prefix "EX.com" is not a DNS subdomain (${LABEL_RULE}, separated by dots)`,
    );
    expect(checkLabelValue('has space')).toBe(
      `label value "has space" is not valid (letters, digits, '-', '_', '.', starting and ending with a letter or digit)`,
    );
  });
});

describe('checkImageRef', () => {
  it('accepts the forms docker and the kubelet accept', () => {
    accepts(checkImageRef, [
      'python-flask-server:v2',
      'flask',
      'library/flask:1.0.0',
      'docker.io/library/python:3.12-slim',
      'localhost:5000/flask:v2',
      'localhost/flask',
      'registry.example.com:443/team/sub/app_x__y:V2.1',
      `ghcr.io/o/app@sha256:${'0'.repeat(64)}`,
      `app:v1@sha256:${'f'.repeat(64)}`,
      '[::1]:5000/app:v1',
    ]);
  });
  it('rejects what they reject, saying why', () => {
    expect(checkImageRef('Python-Flask:v2')).toBe(
      '"Python-Flask:v2": the repository name must be lower-case',
    );
    expect(checkImageRef('app:v 2')).toMatch(/must not contain spaces/);
    expect(checkImageRef('app:-v2')).toMatch(/has an invalid tag/);
    expect(checkImageRef('app@sha256:abc')).toMatch(/has an invalid digest/);
    expect(checkImageRef('app:')).toMatch(/has an invalid tag/);
    rejects(checkImageRef, [
      '',
      'a//b',
      '-app',
      'app-',
      'a$b',
      `app:${'t'.repeat(129)}`,
      'bad_host.com:x/app',
    ]);
  });
});

describe('numbers', () => {
  it('checkIntRange takes whole numbers within bounds only', () => {
    accepts((v: number) => checkIntRange(v, 0, 1000), [0, 1, 1000]);
    expect(checkIntRange(1001, 0, 1000)).toBe('1001 must be a whole number from 0 to 1000');
    rejects((v: number) => checkIntRange(v, 0, 1000), [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY]);
  });
  it('checkWeight: non-negative whole numbers', () => {
    accepts(checkWeight, [0, 1, 80, 100, 1_000_000]);
    expect(checkWeight(-1)).toBe('-1 must be a whole number ≥ 0');
    rejects(checkWeight, [0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]);
  });
  it('checkPort: 1..65535', () => {
    accepts(checkPort, [1, 80, 443, 65535]);
    expect(checkPort(0)).toBe('0 must be a whole number from 1 to 65535');
    rejects(checkPort, [65536, -80, 80.5]);
  });
});

describe('checkIp', () => {
  it('accepts IPv4 and IPv6 addresses, not names', () => {
    accepts(checkIp, ['203.0.113.10', '127.0.0.1', '::1', '2001:db8::10', '::ffff:192.0.2.1']);
    expect(checkIp('flask.local')).toBe('"flask.local" is not an IPv4 or IPv6 address');
    rejects(checkIp, ['', '256.1.1.1', '1.2.3', '203.0.113.10:80', 'http://1.2.3.4']);
  });
});
