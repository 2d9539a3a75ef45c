// What a check's outcome means: pass or fail, and for a failure the likely cause and the command to look next.
import type { WizardConfig } from '../config/types.js';
import { tlsSecretNames } from '../manifests/secrets.js';
import type { CheckSpec } from './checks.js';
import type { Target, Transfer } from './curl.js';

export interface Outcome {
  curlExit: number;
  curlError?: string;
  transfers: Transfer[];
}

export interface Verdict {
  ok: boolean;
  diagnosis?: string;
  next?: string;
  observed?: Record<string, number>;
  tolerance?: number;
  /** Worth another attempt (the gateway may still be receiving its config). Every failure is, until timeout. */
}

/** Connection-level refusals: a TLS alert during the handshake (35), a reset/alert while reading (56), an empty
 * reply (52). Envoy with MUTUAL fails the handshake (35 on TLS 1.2, 56 on TLS 1.3 where the alert comes later). */
const HANDSHAKE_REFUSED = new Set([35, 52, 56]);

interface Where {
  config: WizardConfig;
  target: Target;
  port: number;
}

function gatewayPod(config: WizardConfig): string {
  const sel = Object.entries(config.gateway.selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `$(kubectl -n ${config.gateway.workloadNamespace} get pod -l ${sel} -o jsonpath='{.items[0].metadata.name}')`;
}

function selectorText(config: WizardConfig): string {
  return Object.entries(config.gateway.selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function explainCurlExit(code: number, error: string | undefined, spec: CheckSpec, w: Where): Verdict {
  const { config, target, port } = w;
  const wns = config.gateway.workloadNamespace;
  const at = `${target.address}:${port}`;
  const err = error ?? '';
  switch (code) {
    case 6:
      return {
        ok: false,
        diagnosis: `curl: (6) the ingress address ${target.address} does not resolve`,
        next: 'check --address / verify.address',
      };
    case 7:
      return {
        ok: false,
        diagnosis: `curl: (7) nothing listening at ${at}: the gateway is not reachable there (wrong address or port, or no Gateway server on this port yet)`,
        next: `kubectl -n ${wns} get svc,pods -l ${selectorText(config)}   # ports, external IP, readiness`,
      };
    case 28:
      return {
        ok: false,
        diagnosis: `curl: (28) timed out talking to ${at}: not reachable from here (firewall, wrong address, LoadBalancer still pending)`,
        next: `kubectl -n ${wns} get svc -l ${selectorText(config)}`,
      };
    case 35: {
      const secret = tlsSecretNames(config.hosts).get(spec.host);
      return {
        ok: false,
        diagnosis: `curl: (35) TLS handshake failed for SNI ${spec.requestHost}: no server for this SNI on the gateway (no HTTPS server lists the host, or its certificate secret is missing) or the port does not speak TLS${err ? ` — ${err}` : ''}`,
        next: secret
          ? `kubectl -n ${wns} get secret ${secret}; istioctl proxy-config secret -n ${wns} ${gatewayPod(config)}`
          : `kubectl -n ${config.namespace} get gateway ${config.gateway.name} -o yaml`,
      };
    }
    case 51:
    case 60: {
      const san = /subject name|alternative|does not match|no alternative/i.test(err);
      return {
        ok: false,
        diagnosis: san
          ? `curl: (${code}) the certificate presented for ${spec.requestHost} is not valid for that name (SAN mismatch: the gateway serves another host's certificate)`
          : `curl: (${code}) the certificate presented for ${spec.requestHost} is not trusted by the generated CA (${spec.tls.ca ?? 'system trust store'}): wrong CA, or a stale certificate in the secret`,
        next: `istioctl proxy-config secret -n ${wns} ${gatewayPod(config)}; openssl s_client -connect ${at} -servername ${spec.requestHost} </dev/null | openssl x509 -noout -subject -issuer -ext subjectAltName`,
      };
    }
    case 52:
      return {
        ok: false,
        diagnosis: `curl: (52) empty reply from ${at}: the server closed the connection (wrong protocol for this port?)`,
        next: `kubectl -n ${config.namespace} get gateway ${config.gateway.name} -o yaml`,
      };
    case 56:
      return {
        ok: false,
        diagnosis: spec.tls.clientCert
          ? `curl: (56) the connection was reset: the gateway refused the client certificate (is it signed by the CA the Gateway trusts?)${err ? ` — ${err}` : ''}`
          : `curl: (56) the connection was reset while receiving${err ? ` — ${err}` : ''}`,
        next: `kubectl -n ${wns} logs -l ${selectorText(config)} --tail=20`,
      };
    case 58:
      return {
        ok: false,
        diagnosis: `curl: (58) curl could not use the client certificate ${spec.tls.clientCert ?? ''}${err ? ` — ${err}` : ''}`,
        next: 'run the generate-certs step again',
      };
    case 77:
      return {
        ok: false,
        diagnosis: `curl: (77) curl could not read the CA file ${spec.tls.ca ?? ''}`,
        next: 'run the generate-certs step again',
      };
    default:
      return { ok: false, diagnosis: `curl failed (exit ${code})${err ? `: ${err}` : ''}` };
  }
}

export function explainStatus(t: Transfer, spec: CheckSpec, w: Where): Verdict {
  const { config } = w;
  const ns = config.namespace;
  const wns = config.gateway.workloadNamespace;
  if (t.status === 404) {
    // Envoy stamps x-envoy-upstream-service-time on responses it proxied; its own "no route" 404 (NR) has none.
    if (t.headers['x-envoy-upstream-service-time'] === undefined) {
      return {
        ok: false,
        diagnosis: `404 from the gateway itself (no route, NR in its access log): the VirtualService for ${spec.host} is not bound to the Gateway (its hosts or gateways fields), or the Gateway's ${spec.scheme.toUpperCase()} server does not list the host`,
        next: `kubectl -n ${ns} get gateway,virtualservice -o wide; istioctl proxy-config routes -n ${wns} ${gatewayPod(config)}`,
      };
    }
    return {
      ok: false,
      diagnosis: `404 from the app: the route reaches a pod, but ${spec.path} is not served there (wrong image?)`,
      next: `kubectl -n ${ns} get pods -l app=${config.app} -o wide`,
    };
  }
  if (t.status === 503) {
    return {
      ok: false,
      diagnosis: `503: no healthy upstream — the subset selects no ready pods (DestinationRule subset labels vs pod labels, pods not ready, or the DestinationRule is missing)`,
      next: `kubectl -n ${ns} get pods -l app=${config.app} --show-labels; kubectl -n ${ns} get destinationrule -o yaml`,
    };
  }
  if (t.status === 502) {
    return {
      ok: false,
      diagnosis: '502: the gateway could not talk to the pods (port or protocol mismatch on the Service?)',
      next: `kubectl -n ${ns} get svc ${config.app} -o yaml`,
    };
  }
  if (t.status >= 300 && t.status < 400) {
    return {
      ok: false,
      diagnosis: `${t.status} redirect to ${t.headers.location ?? '(no Location)'}: the server for this host redirects instead of routing (httpsRedirect?)`,
      next: `kubectl -n ${ns} get gateway ${config.gateway.name} -o yaml`,
    };
  }
  if (t.status === 400 || t.status === 403 || t.status === 495 || t.status === 496) {
    return {
      ok: false,
      diagnosis: `${t.status}: the request was refused${spec.tls.clientCert ? ' — the client certificate was not accepted' : ''}`,
      next: `kubectl -n ${wns} logs -l ${selectorText(config)} --tail=20`,
    };
  }
  return { ok: false, diagnosis: `unexpected status ${t.status}` };
}

function wrongVersion(got: string, expected: string, config: WizardConfig): Verdict {
  return {
    ok: false,
    diagnosis: `wrong version: got "${got.slice(0, 60)}", expected "${expected}" — the route points at the wrong subset (or the subset's labels select the other version's pods)`,
    next: `kubectl -n ${config.namespace} get virtualservice,destinationrule -o yaml`,
  };
}

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
          diagnosis: `${o.transfers.length - ok.length} of ${o.transfers.length} requests failed: ${v.diagnosis}`,
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
      let worst = 0;
      let tol = 0;
      const off: string[] = [];
      for (const [v, p] of Object.entries(e.shares)) {
        const q = observed[v] ?? 0;
        const tv = tolerance(p, n);
        tol = Math.max(tol, tv);
        if (Math.abs(q - p) > tv) off.push(v);
        worst = Math.max(worst, Math.abs(q - p));
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
      if (failedConnect && HANDSHAKE_REFUSED.has(o.curlExit)) return { ok: true };
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
      if (failedConnect && (o.curlExit === 7 || HANDSHAKE_REFUSED.has(o.curlExit))) return { ok: true };
      if (failedConnect && (o.curlExit === 60 || o.curlExit === 51)) {
        return {
          ok: false,
          diagnosis: `an HTTPS server answered for SNI ${spec.requestHost} (with a certificate for another name): a Gateway server or wildcard covers this host`,
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
