// What the gateway-api tests on the real stack share: the tutorial's stages as configs in either api mode, the
// independent curl checks each stage must pass (the same in both modes), and a curl loop that counts every
// failed request while a mode switch runs.
import { readFile } from 'node:fs/promises';
import { type CurlAnswer, checkLines, curlGateway } from '../wizardOnStack.js';

export type Api = 'istio' | 'gateway-api';
export type Host = { name: string; https: boolean; route: string | { v1: number; v2: number } };
export interface Stage {
  name: string;
  hosts: Host[];
  httpsRedirect?: boolean;
  mutual?: boolean;
}

export const E1 = 'flask.example1.com';
export const E2 = 'flask.example2.com';
export const E3 = 'flask.example3.com';

/** The tutorial's stages; stage 3 adds an 80/20 HTTP host and the 301 redirect. */
export const STAGES: Stage[] = [
  {
    name: 'stage 1 (HTTP only)',
    hosts: [
      { name: E1, https: false, route: 'v2' },
      { name: E2, https: false, route: 'v1' },
    ],
  },
  {
    name: 'stage 2 (one HTTPS, one HTTP)',
    hosts: [
      { name: E1, https: true, route: 'v2' },
      { name: E2, https: false, route: 'v1' },
    ],
  },
  {
    name: 'stage 3 (both HTTPS) + 80/20 + redirect',
    httpsRedirect: true,
    hosts: [
      { name: E1, https: true, route: 'v2' },
      { name: E2, https: true, route: 'v1' },
      { name: E3, https: false, route: { v1: 80, v2: 20 } },
    ],
  },
];

export function stageConfig(image: string, api: Api, stage: Stage): string {
  const host = (h: Host) => {
    const route =
      typeof h.route === 'string'
        ? `    route: ${h.route}`
        : `    routes: [{ subset: v1, weight: ${h.route.v1} }, { subset: v2, weight: ${h.route.v2} }]`;
    const tls = h.https ? `    tls: { mode: ${stage.mutual ? 'MUTUAL' : 'SIMPLE'} }\n` : '';
    return `  - name: ${h.name}\n    protocol: ${h.https ? 'HTTPS' : 'HTTP'}\n${tls}${route}`;
  };
  return `api: ${api}
namespace: default
app: flask
image: ${image}
versions:
  - name: v1
  - name: v2
gateway:
  name: flask-gateway
  selector: { istio: ingressgateway }
  workloadNamespace: istio-system
  httpsRedirect: ${stage.httpsRedirect ? 'true' : 'false'}
hosts:
${stage.hosts.map(host).join('\n')}
build:
  enabled: false
verify:
  timeoutSeconds: 60
`;
}

export type Answer = CurlAnswer;

/** curlGateway (wizardOnStack.ts) by host and protocol: the stage's hosts are asked over their own protocol. */
export function ask(
  address: string,
  host: string,
  https: boolean,
  opts: { ca?: string; path?: string; client?: { cert: string; key: string } } = {},
): Promise<Answer> {
  return curlGateway(address, `${https ? 'https' : 'http'}://${host}${opts.path ?? '/version'}`, {
    ca: https ? opts.ca : undefined,
    cert: opts.client?.cert,
    key: opts.client?.key,
    maxTime: 5,
  });
}

/** What a correct answer for a host is: its version, or either version of a split. */
export function answersRight(h: Host, a: Answer): boolean {
  if (a.status !== 200) return false;
  return typeof h.route === 'string' ? a.body === h.route : a.body === 'v1' || a.body === 'v2';
}

export interface LoopResult {
  total: number;
  failures: string[];
}

/**
 * Asks every host of the stage over its own protocol, in a loop, until stopped: each request a new connection (what a
 * client that does not reuse connections sees), all of them counted.
 */
export function curlLoop(address: string, ca: string, stage: Stage): { stop: () => Promise<LoopResult> } {
  let stopped = false;
  let total = 0;
  const failures: string[] = [];
  const started = Date.now();
  const loop = (async () => {
    while (!stopped) {
      const answers = await Promise.all(stage.hosts.map((h) => ask(address, h.name, h.https, { ca })));
      stage.hosts.forEach((h, i) => {
        const a = answers[i] as Answer;
        total++;
        if (!answersRight(h, a))
          failures.push(
            `${h.https ? 'https' : 'http'}://${h.name} → ${a.status || `curl exit ${a.exit}`} ${a.body.slice(0, 40)} at +${Date.now() - started} ms`,
          );
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { total, failures };
    },
  };
}

/** verify's check lines (✓/✗ and the title), without the timings and observed shares that differ per run. */
export function checkTitles(stderr: string): string[] {
  return checkLines(stderr)
    .map((l) =>
      l
        .replace(/:[^:]* \(\d+ attempts?, \d+ ms\)$/, '')
        // verify asks a random unknown host each run
        .replace(/wizard-unknown-[0-9a-f]+\.invalid/, 'wizard-unknown-<random>.invalid'),
    )
    .sort();
}

/** Envoy's access-log lines (istiod's mesh config logs to stdout) whose status is not 200 or 301, for diagnosis. */
export async function envoyErrors(log: string): Promise<string[]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => /^\[\d{4}-\d\d-\d\dT/.test(l) && !/" (200|301) /.test(l));
}
