// Turning what the API server (or the network on the way to it) says into messages a person can act on.
// Everything here is a WizardError (exit 1): the CLI prints message + hint, never a stack.
import { WizardError } from '../../errors.js';

/** A `Status` cause: `field` is the JSON path (`.spec.replicas`, `spec.servers[0].port`). */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** The API server answered with a non-2xx status. */
export class KubeApiError extends WizardError {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string | undefined,
    readonly causes: StatusCause[],
    hint?: string,
  ) {
    super(message, undefined, hint);
    this.name = 'KubeApiError';
  }
}

/** The Status object the server returns with errors (or whatever else it returned). */
export interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: StatusCause[]; name?: string; kind?: string };
}

export function asStatus(body: unknown): StatusBody {
  if (body && typeof body === 'object' && !Array.isArray(body)) return body as StatusBody;
  if (typeof body === 'string' && body.trim()) return { message: body.trim().slice(0, 500) };
  return {};
}

/** Who is talking to which server: every connection error names both. */
export interface TargetDescription {
  context: string;
  server: string;
  /** How the user authenticates, for the 401 hint. */
  auth: 'token' | 'exec' | 'auth-provider' | 'client-certificate' | 'basic' | 'none';
  /** Exec plugin command, when auth is exec. */
  execCommand?: string;
  /** The client certificate's notAfter (ISO time), when auth is client-certificate and it could be read. */
  clientCertNotAfter?: string;
}

const CONNECT_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'host name lookup failed (DNS)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
};

const TLS_CODES: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'x509: certificate signed by unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'x509: certificate signed by unknown authority',
  SELF_SIGNED_CERT_IN_CHAIN:
    'x509: certificate signed by unknown authority (self-signed certificate in chain)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'x509: certificate signed by unknown authority (self-signed certificate)',
  CERT_HAS_EXPIRED: 'x509: the server certificate has expired',
  CERT_NOT_YET_VALID: 'x509: the server certificate is not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'x509: the server certificate is not valid for this host name',
};

/** Network-level failure (no HTTP status): true when retrying may help once the server was reached before. */
export function isTransientNetworkError(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return ['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET'].includes(code);
}

export function isTransientStatus(status: number, body?: unknown): boolean {
  if (status === 500 && typedPatchError(body)) return false;
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * Server-side apply answers a type mismatch against the schema (a string where a number belongs) with 500
 * "failed to create typed patch object (…): .spec.x: expected numeric …". It is the input's fault and permanent:
 * returns the field message, or undefined for a real 500.
 */
export function typedPatchError(body: unknown): string | undefined {
  const msg = asStatus(body).message ?? '';
  const m = /^failed to create typed patch object(?: \([^)]*\))?: (.*)$/s.exec(msg);
  return m?.[1];
}

/** A request that never got an HTTP answer: unreachable server or a TLS failure. */
export function networkError(e: unknown, target: TargetDescription): WizardError {
  const err = e as { code?: string; message?: string };
  const code = err.code ?? '';
  const where = `the API server ${target.server} (context "${target.context}")`;
  if (TLS_CODES[code]) {
    return new WizardError(
      `TLS error talking to ${where}: ${TLS_CODES[code]}`,
      undefined,
      code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? 'the server name does not match its certificate: check the cluster `server` URL (or set tls-server-name) in the kubeconfig'
        : 'check `certificate-authority` / `certificate-authority-data` of this cluster in the kubeconfig (is it for this cluster?)',
    );
  }
  if (CONNECT_CODES[code]) {
    return new WizardError(
      `cannot reach ${where}: ${CONNECT_CODES[code]}`,
      undefined,
      'is the cluster running and is this the right context? (`kubectl config get-contexts`, `--context NAME`)',
    );
  }
  return new WizardError(`cannot reach ${where}: ${err.message ?? String(e)}`);
}

function unauthorizedHint(target: TargetDescription): string {
  switch (target.auth) {
    case 'token':
      return 'the bearer token was rejected: it may have expired or belong to another cluster; get a fresh token (re-login) and update the kubeconfig';
    case 'exec':
      return `the token from the exec credential plugin${target.execCommand ? ` (${target.execCommand})` : ''} was rejected: it may have expired; log in again with your cloud CLI`;
    case 'auth-provider':
      return 'the auth-provider token was rejected: it may have expired; log in again';
    case 'client-certificate': {
      const until = target.clientCertNotAfter;
      if (until && Date.parse(until) <= Date.now()) {
        return `the client certificate expired on ${until}: get a new one for this cluster and update the kubeconfig`;
      }
      return `the client certificate${until ? ` (valid until ${until})` : ''} was rejected: it is probably signed by another cluster's CA`;
    }
    case 'basic':
      return 'the username/password was rejected';
    default:
      return 'the kubeconfig user has no credentials: add a token, client certificate or exec plugin';
  }
}

/**
 * A non-2xx answer. `what` says what was being done (`apply Deployment/default/flask-v1`), so every message names the
 * object; 422 lists the server's field messages; 409 apply conflicts name the other field manager.
 */
export function apiError(
  status: number,
  body: unknown,
  what: string,
  target: TargetDescription,
): KubeApiError {
  const st = asStatus(body);
  const causes = st.details?.causes ?? [];
  const reason = st.reason;
  const serverMsg = st.message ?? '';
  if (status === 401) {
    return new KubeApiError(
      `${what}: the API server ${target.server} rejected the credentials of context "${target.context}" (401 Unauthorized)`,
      status,
      reason,
      causes,
      unauthorizedHint(target),
    );
  }
  if (status === 403) {
    return new KubeApiError(
      `${what}: forbidden (403): ${serverMsg}`,
      status,
      reason,
      causes,
      'ask a cluster admin for this permission (RBAC), or use a context with more rights (`--context NAME`)',
    );
  }
  if (status === 409 && reason === 'Conflict' && causes.some((c) => c.reason === 'FieldManagerConflict')) {
    const conflicts = causes
      .filter((c) => c.reason === 'FieldManagerConflict')
      .map((c) => `${c.field ?? '?'} is owned by ${managerOf(c.message)}`);
    return new KubeApiError(
      `${what}: field conflict with another manager: ${conflicts.join('; ')}`,
      status,
      reason,
      causes,
      're-run with --force-conflicts to take ownership of these fields (the other manager may change them back)',
    );
  }
  if (status === 422) {
    const fields = causes.length
      ? causes.map((c) => `${c.field ? `${c.field}: ` : ''}${c.message ?? c.reason ?? ''}`).join('; ')
      : serverMsg;
    return new KubeApiError(
      `${what}: rejected by the API server (422 Invalid): ${fields}`,
      status,
      reason,
      causes,
    );
  }
  const typed = status === 500 ? typedPatchError(body) : undefined;
  if (typed) {
    return new KubeApiError(
      `${what}: rejected by the API server (invalid): ${typed}`,
      status,
      'Invalid',
      causes,
    );
  }
  if (status === 404) {
    return new KubeApiError(`${what}: not found (404): ${serverMsg}`, status, reason, causes);
  }
  return new KubeApiError(
    `${what}: the API server answered ${status}${reason ? ` ${reason}` : ''}${serverMsg ? `: ${serverMsg}` : ''}`,
    status,
    reason,
    causes,
  );
}

/** `conflict with "kubectl-edit" using apps/v1` → `"kubectl-edit"` (the cause message format of SSA). */
export function managerOf(message: string | undefined): string {
  const m = /conflict with "([^"]*)"/.exec(message ?? '');
  return m ? `"${m[1]}"` : (message ?? 'another manager');
}
