// Pass or fail for each kind of expectation, given what curl got back. Failures carry the diagnosis from
// diagnose.ts; weighted routes are judged against a binomial tolerance.
import type { CheckSpec } from './checks.js';
import {
  explainCurlExit,
  explainStatus,
  type Outcome,
  type Verdict,
  type Where,
  wrongVersion,
} from './diagnose.js';

/** Connection-level refusals: a TLS alert during the handshake (35), a reset/alert while reading (56), an empty
 * reply (52). */
const HANDSHAKE_REFUSED = new Set([35, 52, 56]);

/** How curl reports a gateway refusing a client that sent no certificate. On TLS 1.2 the alert ends the handshake
 * (35). On TLS 1.3 the server checks the certificate after curl has already finished its side of the handshake,
 * so the `certificate required` alert surfaces in whatever curl does next: the HTTP/2 preface (16), writing the
 * request (55, broken pipe) or reading the answer (56). Measured against a real Envoy programmed by istiod: 16 and
 * 55 most of the time, 56 rarely — each is the same refusal. */
export const CLIENT_CERT_REFUSED: ReadonlySet<number> = new Set([...HANDSHAKE_REFUSED, 16, 55]);

/** Binomial tolerance for an observed share over n samples: 3 standard deviations, at least 10 points. */
export function tolerance(p: number, n: number): number {
  if (p <= 0 || p >= 1) return 0;
  return Math.max(0.1, 3 * Math.sqrt((p * (1 - p)) / n));
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function evaluate(spec: CheckSpec, o: Outcome, w: Where): Verdict {
  const e = spec.expect;
  const t = o.transfers[0];
  const failedConnect = o.curlExit !== 0 && (!t || t.status === 0);
  switch (e.type) {
    case 'version': {
      if (failedConnect || !t) return explainCurlExit(o.curlExit, o.curlError, spec, w);
      if (t.status !== 200) return explainStatus(t, spec, w);
      const got = t.body.trim();
      return got === e.version ? { ok: true } : wrongVersion(got, e.version, w.config);
    }
    case 'weights': {
      const ok = o.transfers.filter((x) => x.status === 200);
      const bad = o.transfers.find((x) => x.status !== 200);
      if (o.transfers.length === 0) return explainCurlExit(o.curlExit || 1, o.curlError, spec, w);
      if (bad) {
        const v =
          bad.status === 0
            ? explainCurlExit(o.curlExit || 1, o.curlError, spec, w)
            : explainStatus(bad, spec, w);
        return {
          ...v,
          // One transfer is the probe sent before the samples: the samples were not sent.
          diagnosis: `${o.transfers.length === 1 ? 'the first request failed (no samples sent)' : `${o.transfers.length - ok.length} of ${o.transfers.length} requests failed`}: ${v.diagnosis}`,
        };
      }
      const counts: Record<string, number> = {};
      for (const x of ok) counts[x.body.trim()] = (counts[x.body.trim()] ?? 0) + 1;
      const n = ok.length;
      const observed: Record<string, number> = {};
      for (const [v, c] of Object.entries(counts)) observed[v] = c / n;
      const stray = Object.keys(counts).find((v) => !(v in e.shares) || e.shares[v] === 0);
      if (stray !== undefined) {
        const expected = Object.entries(e.shares)
          .filter(([, s]) => s > 0)
          .map(([v]) => v)
          .join(' or ');
        return { ...wrongVersion(stray, expected, w.config), observed };
      }
      let tol = 0;
      const off: string[] = [];
      for (const [v, p] of Object.entries(e.shares)) {
        const q = observed[v] ?? 0;
        const tv = tolerance(p, n);
        tol = Math.max(tol, tv);
        if (Math.abs(q - p) > tv) off.push(v);
      }
      if (off.length === 0) return { ok: true, observed, tolerance: tol };
      const show = (m: Record<string, number>) =>
        Object.keys(e.shares)
          .map((v) => `${v} ${pct(m[v] ?? 0)}`)
          .join(' / ');
      return {
        ok: false,
        observed,
        tolerance: tol,
        diagnosis: `weights off: observed ${show(observed)} over ${n} requests, expected ${show(e.shares)} (tolerance ±${pct(tol)}) — the VirtualService weights differ from the plan`,
        next: `kubectl -n ${w.config.namespace} get virtualservice -o yaml   # spec.http[].route[].weight`,
      };
    }
    case 'refused': {
      if (failedConnect && CLIENT_CERT_REFUSED.has(o.curlExit)) return { ok: true };
      if (t && [400, 403, 495, 496].includes(t.status)) return { ok: true };
      if (t && t.status === 200) {
        return {
          ok: false,
          diagnosis: `a client without a certificate was served (200): the Gateway's HTTPS server for ${spec.host} is not tls.mode MUTUAL`,
          next: `kubectl -n ${w.config.namespace} get gateway ${w.config.gateway.name} -o yaml`,
        };
      }
      if (failedConnect) return explainCurlExit(o.curlExit, o.curlError, spec, w);
      return t ? explainStatus(t, spec, w) : { ok: false, diagnosis: 'no response' };
    }
    case 'not-served': {
      if (failedConnect) {
        if (e.noHttpServer && (o.curlExit === 7 || HANDSHAKE_REFUSED.has(o.curlExit))) return { ok: true };
        return explainCurlExit(o.curlExit, o.curlError, spec, w);
      }
      if (!t) return { ok: false, diagnosis: 'no response' };
      if (e.redirect) {
        const loc = t.headers.location ?? '';
        let locHost = '';
        let locScheme = '';
        try {
          const u = new URL(loc);
          locHost = u.hostname;
          locScheme = u.protocol;
        } catch {}
        if (
          (t.status === 301 || t.status === 308) &&
          locScheme === 'https:' &&
          locHost === spec.requestHost
        ) {
          return { ok: true };
        }
        return {
          ok: false,
          diagnosis: `expected a 301 to https://${spec.requestHost}/… (gateway.httpsRedirect is on), got ${t.status}${loc ? ` to ${loc}` : ''}`,
          next: `kubectl -n ${w.config.namespace} get gateway ${w.config.gateway.name} -o yaml   # tls.httpsRedirect on the HTTP server`,
        };
      }
      if (t.status === 404) return { ok: true };
      return {
        ok: false,
        diagnosis:
          t.status === 200
            ? `the HTTPS-only host ${spec.host} is served over plain HTTP: the Gateway's HTTP server lists it`
            : `expected 404 for the HTTPS-only host over HTTP, got ${t.status}${t.headers.location ? ` to ${t.headers.location}` : ''} (gateway.httpsRedirect is off in the config)`,
        next: `kubectl -n ${w.config.namespace} get gateway ${w.config.gateway.name} -o yaml`,
      };
    }
    case 'no-tls-server': {
      if (failedConnect && HANDSHAKE_REFUSED.has(o.curlExit)) return { ok: true };
      if (failedConnect && o.curlExit === 7 && e.noHttpsServer) return { ok: true };
      if (failedConnect && (o.curlExit === 60 || o.curlExit === 51)) {
        return {
          ok: false,
          diagnosis: `an HTTPS server answered for SNI ${spec.requestHost} (curl did not trust its certificate for this name): a Gateway server or wildcard covers this host`,
          next: `kubectl -n ${w.config.namespace} get gateway ${w.config.gateway.name} -o yaml`,
        };
      }
      if (failedConnect) return explainCurlExit(o.curlExit, o.curlError, spec, w);
      return {
        ok: false,
        diagnosis: `expected no TLS server for ${spec.requestHost}, but it answered ${t?.status ?? '?'} over HTTPS`,
        next: `kubectl -n ${w.config.namespace} get gateway ${w.config.gateway.name} -o yaml`,
      };
    }
    case 'not-found': {
      if (failedConnect || !t) return explainCurlExit(o.curlExit, o.curlError, spec, w);
      if (t.status === 404) return { ok: true };
      return {
        ok: false,
        diagnosis: `a host that is not on the Gateway got ${t.status}, not 404: a wildcard host or catch-all VirtualService routes everything`,
        next: `kubectl -n ${w.config.namespace} get gateway,virtualservice -o yaml`,
      };
    }
  }
}
