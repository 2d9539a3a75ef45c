// What a failed request means — the likely cause, and the command to look at next — from curl's exit code or the
// HTTP status. The pass/fail decision per expectation is in verdict.ts.
import type { WizardConfig } from '../config/types.js';
import { FILE_MOUNT_CERTS_SECRET, tlsSecretNames } from '../manifests/secrets.js';
import type { CheckSpec } from './checks.js';
import { bracketed, type Target, type Transfer } from './curl.js';

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
}

export interface Where {
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
  const at = `${bracketed(target.address)}:${port}`;
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
      const secret =
        config.certs.storage === 'file-mount'
          ? tlsSecretNames(config.hosts).has(spec.host)
            ? FILE_MOUNT_CERTS_SECRET
            : undefined
          : tlsSecretNames(config.hosts).get(spec.host);
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
          : spec.tls.trust === 'provided-cert'
            ? `curl: (${code}) the gateway does not present the certificate provided for ${spec.host} (tls.certFile, ${spec.tls.ca}): a stale or other certificate in the secret`
            : spec.tls.trust === 'system'
              ? `curl: (${code}) the certificate presented for ${spec.requestHost} is not trusted by the system trust store (no generated CA to check against: run generate-certs)`
              : `curl: (${code}) the certificate presented for ${spec.requestHost} is not trusted by the generated CA (${spec.tls.ca}): wrong CA, or a stale certificate in the secret`,
        next: `istioctl proxy-config secret -n ${wns} ${gatewayPod(config)}; openssl s_client -connect ${at} -servername ${spec.requestHost} </dev/null | openssl x509 -noout -subject -issuer -ext subjectAltName`,
      };
    }
    case 52:
      return {
        ok: false,
        diagnosis: `curl: (52) empty reply from ${at}: the server closed the connection (wrong protocol for this port?)`,
        next: `kubectl -n ${config.namespace} get gateway ${config.gateway.name} -o yaml`,
      };
    // A TLS 1.3 server's alert after the handshake (e.g. `certificate required`) reaches curl in its next step:
    // the HTTP/2 preface (16), sending the request (55) or receiving (56).
    case 16:
    case 55:
    case 56: {
      const when =
        code === 16 ? 'in HTTP/2 framing' : code === 55 ? 'while sending the request' : 'while receiving';
      return {
        ok: false,
        diagnosis: spec.tls.clientCert
          ? `curl: (${code}) the connection was closed ${when}: the gateway refused the client certificate (is it signed by the CA the Gateway trusts?)${err ? ` — ${err}` : ''}`
          : spec.scheme === 'https'
            ? `curl: (${code}) the connection was closed ${when}: the gateway asks for a client certificate (tls.mode MUTUAL) or dropped the connection${err ? ` — ${err}` : ''}`
            : `curl: (${code}) the connection was closed ${when}${err ? ` — ${err}` : ''}`,
        next: `kubectl -n ${wns} logs -l ${selectorText(config)} --tail=20`,
      };
    }
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

export function wrongVersion(got: string, expected: string, config: WizardConfig): Verdict {
  return {
    ok: false,
    diagnosis: `wrong version: got "${got.slice(0, 60)}", expected "${expected}" — the route points at the wrong subset (or the subset's labels select the other version's pods)`,
    next: `kubectl -n ${config.namespace} get virtualservice,destinationrule -o yaml`,
  };
}
