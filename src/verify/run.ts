// Runs the checks with the real curl through Io.exec: concurrently (bounded), each retried with backoff until the
// deadline, because Envoy takes a while to receive new config after an apply.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { WizardConfig } from '../config/types.js';
import { InterruptedError, WizardError } from '../errors.js';
import type { Exec } from '../io/types.js';
import { mapLimit, sleep } from '../lib/async.js';
import type { CertPaths, PlannedCommand } from '../steps/types.js';
import { buildChecks, type CheckSpec } from './checks.js';
import {
  type CurlOptions,
  curlArgs,
  curlErrorLine,
  parseTransfers,
  plannedCurl,
  portFor,
  type Target,
  urlFor,
} from './curl.js';
import type { Outcome, Verdict } from './diagnose.js';
import type { VerifyCheck, VerifyReport } from './types.js';
import { evaluate } from './verdict.js';

export interface VerificationInput {
  config: WizardConfig;
  certs?: CertPaths;
  address: string;
  httpPort: number;
  httpsPort: number;
  exec: Exec;
  log?: (line: string) => void;
  /** Overall budget; default config.verify.timeoutSeconds. */
  timeoutSeconds?: number;
  signal?: AbortSignal;
  /** Checks in flight at once (default 8). */
  concurrency?: number;
}

/** One request's own budget: long enough for a slow remote gateway, short enough to retry within the deadline. */
const MAX_TIME_SECONDS = 10;
const BODY_LIMIT = 200;
const BACKOFF_START_MS = 250;
const BACKOFF_MAX_MS = 4000;

export const INSTALL_CURL =
  'install curl: apt-get install curl (Debian/Ubuntu), dnf install curl, apk add curl, brew install curl';

function curlOptions(spec: CheckSpec, maxTimeSeconds: number): CurlOptions {
  const weights = spec.expect.type === 'weights';
  return {
    maxTimeSeconds,
    headers: !weights,
    repeat: spec.expect.type === 'weights' ? spec.expect.samples : undefined,
  };
}

/** The curl commands verify would run (plan): one per check. */
export function plannedVerification(
  config: WizardConfig,
  certs: CertPaths | undefined,
  target: Target,
): PlannedCommand[] {
  return buildChecks({ config, certs }).map((spec) =>
    plannedCurl(spec, target, curlOptions(spec, MAX_TIME_SECONDS)),
  );
}

/**
 * The CA and client files curl is given must exist: a missing one fails every attempt the same way (curl 77/58),
 * so waiting out verify.timeoutSeconds would only hide it.
 */
function checkTlsFiles(specs: CheckSpec[]): void {
  const files = new Set(specs.flatMap((s) => [s.tls.ca, s.tls.clientCert, s.tls.clientKey]));
  const missing = [...files].filter((f): f is string => f !== undefined && !existsSync(f));
  if (missing.length === 0) return;
  throw new WizardError(
    `certificate files verify needs are missing: ${missing.join(', ')}${missing.some((f) => !path.isAbsolute(f)) ? ` (relative to ${process.cwd()})` : ''}`,
    1,
    'run wizard from the directory the state was made in, or make the certificates again with `wizard --from generate-certs`',
  );
}

async function curlOnce(
  spec: CheckSpec,
  input: VerificationInput,
  target: Target,
  opts: CurlOptions,
): Promise<Outcome> {
  const args = curlArgs(spec, target, opts);
  const repeat = opts.repeat ?? 1;
  const r = await input.exec.run('curl', args, {
    // A safety net over curl's own --max-time (per request). Samples run one after another on one kept-alive
    // connection: leave half a second each on top (a far gateway's round trips), whatever verify.samples is.
    timeoutMs: (opts.maxTimeSeconds + 5) * 1000 + (repeat > 1 ? repeat * 500 : 0),
    signal: input.signal,
  });
  if (r.notFound)
    throw new WizardError('curl is not installed: verify needs it to test the ingress', 1, INSTALL_CURL);
  return {
    curlExit: r.timedOut ? 28 : r.exitCode,
    curlError: r.timedOut ? 'timed out' : curlErrorLine(r.stderr),
    transfers: parseTransfers(r.stdout, Boolean(opts.headers)),
  };
}

async function attempt(
  spec: CheckSpec,
  input: VerificationInput,
  target: Target,
  deadline: number,
): Promise<Outcome> {
  // At least 2 s even at the deadline: a loaded machine or a far gateway must not fail a check by itself.
  const remaining = Math.max(2, Math.ceil((deadline - Date.now()) / 1000));
  const maxTime = Math.min(MAX_TIME_SECONDS, remaining);
  if (spec.expect.type === 'weights') {
    // One probe first: while the gateway is not ready, a hundred failing samples would only cost time.
    const probe = await curlOnce(spec, input, target, { maxTimeSeconds: maxTime, headers: true });
    const t = probe.transfers[0];
    if (probe.curlExit !== 0 || !t || t.status !== 200) return probe;
  }
  return curlOnce(spec, input, target, curlOptions(spec, maxTime));
}

async function runCheck(
  spec: CheckSpec,
  input: VerificationInput,
  target: Target,
  deadline: number,
): Promise<VerifyCheck> {
  let attempts = 0;
  let backoff = BACKOFF_START_MS;
  let last: { o: Outcome; v: Verdict; ms: number } | undefined;
  const where = { config: input.config, target, port: portFor(spec, target) };
  for (;;) {
    if (input.signal?.aborted) throw new InterruptedError();
    attempts++;
    const started = Date.now();
    const o = await attempt(spec, input, target, deadline);
    if (input.signal?.aborted) throw new InterruptedError();
    last = { o, v: evaluate(spec, o, where), ms: Date.now() - started };
    if (last.v.ok || Date.now() + backoff >= deadline) break;
    if (attempts === 1) input.log?.(`  … ${spec.title}: not yet (${last.v.diagnosis ?? 'failed'}), retrying`);
    await sleep(backoff, input.signal);
    backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
  }
  const { o, v, ms } = last;
  const t = o.transfers.at(-1);
  const e = spec.expect;
  const check: VerifyCheck = {
    host: spec.host,
    kind: spec.kind,
    ok: v.ok,
    title: spec.title,
    url: urlFor(spec, target),
    requestHost: spec.requestHost,
    attempts,
    latencyMs: ms,
  };
  if (t && t.status !== 0) check.status = t.status;
  if (t && e.type !== 'weights') check.body = t.body.slice(0, BODY_LIMIT);
  if (o.curlExit !== 0) {
    check.curlExit = o.curlExit;
    if (o.curlError) check.curlError = o.curlError;
  }
  if (e.type === 'version') check.expected = e.version;
  if (e.type === 'weights') {
    check.expected = e.shares;
    check.samples = o.transfers.length;
    if (v.observed) check.observed = v.observed;
    if (v.tolerance !== undefined) check.tolerance = v.tolerance;
  }
  if (!v.ok) {
    if (v.diagnosis) check.diagnosis = v.diagnosis;
    if (v.next) check.next = v.next;
  }
  return check;
}

/** Observed shares in the order of the title (the plan's), not in the order the answers came. */
function weightShares(c: VerifyCheck, observed: Record<string, number>): string {
  const expected = typeof c.expected === 'object' ? c.expected : {};
  const order = [...Object.keys(expected).filter((v) => (expected[v] ?? 0) > 0), ...Object.keys(observed)];
  return [...new Set(order)].map((v) => `${v} ${Math.round((observed[v] ?? 0) * 100)}%`).join(' / ');
}

export function describeCheck(c: VerifyCheck): string {
  const mark = c.ok ? '✓' : '✗';
  const detail =
    c.kind === 'weights' && c.observed
      ? ` observed ${weightShares(c, c.observed)} over ${c.samples} requests${c.tolerance ? ` (±${Math.round(c.tolerance * 100)}%)` : ''}`
      : c.status !== undefined
        ? ` ${c.status}`
        : c.curlExit !== undefined
          ? ` curl (${c.curlExit})`
          : '';
  return `${mark} ${c.title}:${detail} (${c.attempts} attempt${c.attempts === 1 ? '' : 's'}, ${c.latencyMs} ms)`;
}

/**
 * A refused request without a client certificate proves MUTUAL only if the host answers with one: when it
 * doesn't, the refusal may just be "no server for this SNI". Reported as failed, not checked.
 */
function inconclusive(spec: CheckSpec, target: Target): VerifyCheck {
  return {
    host: spec.host,
    kind: spec.kind,
    ok: false,
    title: spec.title,
    url: urlFor(spec, target),
    requestHost: spec.requestHost,
    attempts: 0,
    latencyMs: 0,
    diagnosis: `not checked: ${spec.requestHost} does not answer even with the client certificate (see its version check), so a refusal without one would prove nothing`,
  };
}

export async function runVerification(input: VerificationInput): Promise<VerifyReport> {
  const started = Date.now();
  const timeoutSeconds = input.timeoutSeconds ?? input.config.verify.timeoutSeconds;
  const deadline = started + timeoutSeconds * 1000;
  const target: Target = { address: input.address, httpPort: input.httpPort, httpsPort: input.httpsPort };
  const specs = buildChecks({ config: input.config, certs: input.certs });
  checkTlsFiles(specs);
  const limit = Math.max(1, input.concurrency ?? 8);
  // Hosts that fail the same way share a `next:` command: it is said once, under the first of them.
  const saidNext = new Set<string>();
  const run = async (spec: CheckSpec) => {
    const c = await runCheck(spec, input, target, deadline);
    input.log?.(describeCheck(c));
    if (!c.ok && c.diagnosis) {
      const next = c.next && !saidNext.has(c.next) ? `\n    next: ${c.next}` : '';
      if (c.next) saidNext.add(c.next);
      input.log?.(`    ${c.diagnosis}${next}`);
    }
    return c;
  };
  // Positive checks first: the negatives ("not served over HTTP") are only meaningful once the gateway serves.
  const first = await mapLimit(
    specs.filter((s) => s.phase === 1),
    limit,
    run,
  );
  const served = new Set(first.filter((c) => c.ok).map((c) => c.host));
  const second = await mapLimit(
    specs.filter((s) => s.phase === 2),
    limit,
    (spec) =>
      spec.kind === 'mtls-required' && !served.has(spec.host)
        ? Promise.resolve(inconclusive(spec, target))
        : run(spec),
  );
  const checks = [...first, ...second];
  const failed = checks.filter((c) => !c.ok).length;
  return {
    ok: failed === 0,
    address: input.address,
    httpPort: input.httpPort,
    httpsPort: input.httpsPort,
    passed: checks.length - failed,
    failed,
    durationMs: Date.now() - started,
    checks,
  };
}
