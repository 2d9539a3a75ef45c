import { describe, expect, it } from 'vitest';
import { buildGateway } from '../../src/manifests/gateway.js';
import { hostSlug, MAX_LABEL, uniqueNames } from '../../src/manifests/names.js';
import { httpsPortNames } from '../../src/manifests/portNames.js';
import { fileMountKeys, tlsSecretName, tlsSecretNames } from '../../src/manifests/secrets.js';
import { virtualServiceNames } from '../../src/manifests/virtualServices.js';
import { httpHost, httpsHost } from '../support/configs.js';
import { makeConfig } from './fixtures.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('names derived from hosts', () => {
  it('slugs hosts into DNS labels, wildcard spelt out', () => {
    expect(hostSlug('flask.example1.com')).toBe('flask-example1-com');
    expect(hostSlug('*.example.com')).toBe('wildcard-example-com');
    expect(hostSlug('Shop.Example.ORG')).toBe('shop-example-org');
    expect(tlsSecretName('flask.example1.com')).toBe('flask-example1-com-tls');
  });

  it('keeps colliding hosts apart (a-b.com vs a.b.com) in ports, secrets and VirtualServices', () => {
    const hosts = [httpsHost('a-b.com', 'v1'), httpsHost('a.b.com', 'v1'), httpsHost('a.b-com', 'v1')];
    expect([...httpsPortNames(hosts).values()]).toEqual([
      'https-a-b-com',
      'https-a-b-com-2',
      'https-a-b-com-3',
    ]);
    expect([...tlsSecretNames(hosts).values()]).toEqual(['a-b-com-tls', 'a-b-com-2-tls', 'a-b-com-3-tls']);
    expect([...virtualServiceNames(hosts).values()]).toEqual(['a-b-com', 'a-b-com-2', 'a-b-com-3']);
  });

  it('is deterministic: host order decides who keeps the plain name', () => {
    const ab = [httpsHost('a-b.com', 'v1'), httpsHost('a.b.com', 'v1')];
    expect(httpsPortNames(ab).get('a.b.com')).toBe('https-a-b-com-2');
    expect(httpsPortNames([...ab].reverse()).get('a.b.com')).toBe('https-a-b-com');
    expect(httpsPortNames(ab)).toEqual(httpsPortNames(ab));
  });

  it('caps long names at 63 characters, still unique and label-shaped', () => {
    const long = `${'x'.repeat(40)}.${'y'.repeat(40)}.example.com`;
    const hosts = [httpsHost(long, 'v1'), httpsHost(long.replace('.', '-'), 'v1')];
    const all = [
      ...httpsPortNames(hosts).values(),
      ...tlsSecretNames(hosts).values(),
      ...virtualServiceNames(hosts).values(),
    ];
    for (const n of all) {
      expect(n.length).toBeLessThanOrEqual(MAX_LABEL);
      expect(n).toMatch(DNS_LABEL);
    }
    expect(new Set(httpsPortNames(hosts).values()).size).toBe(2);
    expect(new Set(tlsSecretNames(hosts).values()).size).toBe(2);
  });

  it('never reuses the plain http port names for an HTTPS host', () => {
    const names = uniqueNames(['x'], () => 'http', MAX_LABEL, ['http']);
    expect(names.get('x')).toBe('http-2');
  });

  it('gives every Gateway server a unique port name, HTTP and redirect servers included', () => {
    const config = makeConfig({
      gateway: { ...makeConfig().gateway, httpsRedirect: true },
      hosts: [httpHost('http.example.com', 'v1'), httpsHost('a-b.com', 'v1'), httpsHost('a.b.com', 'v2')],
    });
    const names = buildGateway(config, 'networking.istio.io/v1').spec.servers.map(
      (s: { port: { name: string } }) => s.port.name,
    );
    expect(names).toEqual(['http', 'http-redirect', 'https-a-b-com', 'https-a-b-com-2']);
  });

  it('maps file-mount keys to valid Secret data keys without collisions', () => {
    const hosts = ['*.example.com', 'wildcard.example.com', 'a-b.com', 'a.b.com'];
    const keys = hosts.flatMap((h) => Object.values(fileMountKeys(h)));
    for (const k of keys) expect(k).toMatch(/^[-._a-zA-Z0-9]+$/);
    expect(new Set(keys).size).toBe(keys.length);
    expect(fileMountKeys('flask.example1.com')).toEqual({
      cert: 'flask.example1.com-crt.pem',
      key: 'flask.example1.com-key.pem',
    });
  });
});
