// The mode switch's hand-over (src/steps/gatewayApi/handOver.ts): which HTTPS hosts move through a warm wildcard
// chain, and the hand-over Gateway in either mode. That it loses no request is the real stack's to show
// (test/stack/features/gatewayApi.test.ts).
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/defaults.js';
import type { HostConfig, WizardConfig } from '../../../src/config/types.js';
import { manifestsFor } from '../../../src/manifests/index.js';
import { handOverGateway, handOverHosts } from '../../../src/steps/gatewayApi/handOver.js';

const https = (name: string): HostConfig => ({
  name,
  protocol: 'HTTPS',
  tls: { mode: 'SIMPLE' },
  routes: [{ subset: 'v1', weight: 100 }],
});

function config(api: WizardConfig['api'], hosts: HostConfig[]): WizardConfig {
  const c = defaultConfig();
  c.api = api;
  c.hosts = hosts;
  c.gateway.httpsRedirect = true;
  return c;
}

describe('mode switch hand-over', () => {
  it('warms each HTTPS host under its parent wildcard; hosts sharing one, wildcards and two-label names go cold', () => {
    const c = config('istio', [
      https('flask.example1.com'),
      https('flask.example2.com'),
      https('a.shop.org'),
      https('b.shop.org'),
      https('*.wild.org'),
      https('apex.io'),
      { name: 'plain.example3.com', protocol: 'HTTP', routes: [{ subset: 'v1', weight: 100 }] },
    ]);
    const { warm, cold } = handOverHosts(c);
    expect([...warm]).toEqual([
      ['flask.example1.com', '*.example1.com'],
      ['flask.example2.com', '*.example2.com'],
    ]);
    expect(cold).toEqual([
      { host: '*.wild.org', why: 'a wildcard host' },
      { host: 'apex.io', why: 'no parent domain' },
      { host: 'a.shop.org', why: 'shares *.shop.org with b.shop.org' },
      { host: 'b.shop.org', why: 'shares *.shop.org with a.shop.org' },
    ]);
    // A config that itself lists the wildcard: its exact host cannot borrow it.
    expect(handOverHosts(config('istio', [https('x.y.com'), https('*.y.com')])).cold).toContainEqual({
      host: 'x.y.com',
      why: 'the config lists *.y.com itself',
    });
  });

  it('gateway-api: only the HTTPS listeners change hostname; names (so route names), certificates and the http listener stay', () => {
    const c = config('gateway-api', [https('flask.example1.com'), https('flask.example2.com')]);
    const [gw] = manifestsFor.applyGateway(c, 'networking.istio.io/v1');
    if (!gw) throw new Error('no Gateway');
    const staged = handOverGateway(gw, handOverHosts(c).warm);
    const l = (o: typeof gw) =>
      (o.spec.listeners as { name: string; hostname?: string; tls?: unknown }[]).map((x) => [
        x.name,
        x.hostname,
        x.tls,
      ]);
    expect(l(staged)).toEqual(
      l(gw).map(([name, hostname, tls]) => [
        name,
        hostname ? `*.${String(hostname).split('.').slice(1).join('.')}` : undefined,
        tls,
      ]),
    );
    expect(l(staged).map((x) => x[1])).toEqual([undefined, '*.example1.com', '*.example2.com']);
    expect(gw.spec.listeners[1].hostname).toBe('flask.example1.com'); // the input is not changed
  });

  it('istio: only the HTTPS servers change hosts; the 301 server on port 80 keeps the exact names', () => {
    const c = config('istio', [https('flask.example1.com'), https('flask.example2.com')]);
    const [gw] = manifestsFor.applyGateway(c, 'networking.istio.io/v1');
    if (!gw) throw new Error('no Gateway');
    const staged = handOverGateway(gw, handOverHosts(c).warm);
    const s = (o: typeof gw) =>
      (o.spec.servers as { port: { name: string; protocol: string }; hosts: string[] }[]).map((x) => [
        x.port.name,
        x.port.protocol,
        x.hosts,
      ]);
    expect(s(staged)).toEqual(
      s(gw).map(([name, protocol, hosts]) => [
        name,
        protocol,
        protocol === 'HTTPS' ? (hosts as string[]).map((h) => `*.${h.split('.').slice(1).join('.')}`) : hosts,
      ]),
    );
    expect(s(staged).filter((x) => x[1] === 'HTTP')).toEqual([
      ['http-redirect', 'HTTP', ['flask.example1.com', 'flask.example2.com']],
    ]);
  });
});
