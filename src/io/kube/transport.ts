// One HTTP(S) request to the API server, with the kubeconfig's credentials, retries for transient failures and a
// request counter (for bench/apply.mjs). client-node supplies the credentials (tokens, client certs, exec plugins);
// the request itself is plain node:https so that status codes, Retry-After and Status bodies are ours to read.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { InterruptedError, WizardError } from '../../errors.js';
import { sleep } from '../../lib/async.js';
import {
  apiError,
  isTransientNetworkError,
  isTransientStatus,
  networkError,
  type TargetDescription,
} from './errors.js';

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  /** Default application/json. */
  accept?: string;
  /** What is being done, for error messages: `apply Deployment/default/flask-v1`. */
  what: string;
  /** Statuses returned to the caller instead of thrown (typically 404). */
  allow?: number[];
  signal?: AbortSignal;
}

export interface KubeResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON from the API server
  body: any;
}

export interface RetryPolicy {
  tries: number;
  baseMs: number;
  maxMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { tries: 5, baseMs: 250, maxMs: 8000 };
const REQUEST_TIMEOUT_MS = 30_000;

/** A 2xx answer to a JSON request that is not JSON: whatever answers there is not a Kubernetes API server. */
function isJsonAnswer(req: KubeRequest, res: KubeResponse & { contentType?: string }): boolean {
  if (!(req.accept ?? 'application/json').includes('json')) return true;
  return !(typeof res.body === 'string' && res.body.trim() !== '');
}

/** Said once, as the first request's answer (preflight stops there), instead of a failed check per object. */
export function notKubernetes(
  target: TargetDescription,
  req: Pick<KubeRequest, 'method' | 'path'>,
  res: { status: number; contentType?: string },
): WizardError {
  const type = (res.contentType ?? 'no content type').split(';')[0];
  return new WizardError(
    `the server at ${target.server} (context "${target.context}") is not a Kubernetes API server: ` +
      `${req.method} ${req.path} answered ${res.status} with ${type}, not the JSON an API server sends`,
    undefined,
    'check the cluster `server` URL in the kubeconfig (a web page or proxy answers there)',
  );
}

export class Transport {
  /** Every HTTP request sent, retries included. */
  requests = 0;
  private agent?: http.Agent;
  /** Until the server answered once, network errors fail fast (an unreachable server should not take 30 s). */
  private reached = false;

  constructor(
    private readonly kc: KubeConfig,
    readonly target: TargetDescription,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  async send(req: KubeRequest): Promise<KubeResponse> {
    for (let attempt = 1; ; attempt++) {
      if (req.signal?.aborted) throw new InterruptedError();
      let res: KubeResponse & { retryAfter?: string };
      try {
        res = await this.once(req);
      } catch (e) {
        if (e instanceof WizardError) throw e;
        if (req.signal?.aborted) throw new InterruptedError();
        if (this.reached && isTransientNetworkError(e) && attempt < this.retry.tries) {
          await sleep(this.backoff(attempt), req.signal);
          continue;
        }
        throw networkError(e, this.target);
      }
      this.reached = true;
      if (res.status >= 200 && res.status < 300) {
        if (!isJsonAnswer(req, res)) throw notKubernetes(this.target, req, res);
        return res;
      }
      if (req.allow?.includes(res.status)) return res;
      // An API server answers /version with JSON whatever else is wrong; a web page there is something else.
      if (req.path === '/version' && !isJsonAnswer(req, res)) throw notKubernetes(this.target, req, res);
      if (isTransientStatus(res.status, res.body) && attempt < this.retry.tries) {
        await sleep(this.retryAfterMs(res.retryAfter) ?? this.backoff(attempt), req.signal);
        continue;
      }
      throw apiError(res.status, res.body, req.what, this.target);
    }
  }

  /** Exponential backoff with full jitter: attempt 1 → up to 250 ms, 2 → 500 ms, … capped. */
  private backoff(attempt: number): number {
    const cap = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** (attempt - 1));
    return cap / 2 + Math.random() * (cap / 2);
  }

  private retryAfterMs(header: string | undefined): number | undefined {
    if (!header) return undefined;
    const secs = Number(header);
    if (Number.isFinite(secs)) return Math.min(this.retry.maxMs * 4, Math.max(0, secs * 1000));
    const at = Date.parse(header);
    return Number.isNaN(at) ? undefined : Math.max(0, Math.min(this.retry.maxMs * 4, at - Date.now()));
  }

  private async options(): Promise<https.RequestOptions> {
    const o: https.RequestOptions = {};
    if (this.target.server.startsWith('http:')) return this.plainHttpOptions(o);
    try {
      // Fills Authorization (token, exec plugin, auth-provider), client cert/key, CA, skip-verify, server name.
      await this.kc.applyToHTTPSOptions(o);
    } catch (e) {
      throw new WizardError(
        `cannot prepare credentials of context "${this.target.context}": ${this.credentialFailure(e)}`,
        undefined,
        'check the files and exec plugin the kubeconfig user refers to',
      );
    }
    const cluster = this.kc.getCurrentCluster();
    if (!o.ca && cluster?.caData) o.ca = Buffer.from(cluster.caData, 'base64');
    if (cluster?.proxyUrl) return o; // client-node's agent speaks the proxy: keep it
    if (!this.agent) {
      const tls = {
        ca: o.ca,
        cert: o.cert,
        key: o.key,
        rejectUnauthorized: o.rejectUnauthorized,
        servername: o.servername,
      };
      this.agent = new https.Agent({ keepAlive: true, maxSockets: 16, ...tls });
    }
    o.agent = this.agent;
    return o;
  }

  /** Why the credentials could not be prepared; an exec plugin is named (client-node gives only its stderr). */
  private credentialFailure(e: unknown): string {
    const detail = ((e as Error)?.message ?? String(e)).split('\n')[0]?.trim();
    if (this.target.auth !== 'exec') return detail || 'unknown error';
    const plugin = `exec credential plugin ${this.target.execCommand || '(no command)'}`;
    if ((e as { code?: string })?.code === 'ENOENT')
      return `${plugin} not found (is it installed and on PATH?)`;
    return `${plugin} failed: ${detail || 'it exited with an error and printed nothing'}`;
  }

  /**
   * A plain-http server (`kubectl proxy`, a local tunnel): client-node refuses those unless skip-TLS-verify is set;
   * kubectl does not. No TLS material applies; a token or basic auth is sent as is.
   */
  private plainHttpOptions(o: https.RequestOptions): https.RequestOptions {
    const user = this.kc.getCurrentUser();
    if (user?.token) o.headers = { Authorization: `Bearer ${user.token}` };
    else if (user?.username) o.auth = `${user.username}:${user.password ?? ''}`;
    this.agent ??= new http.Agent({ keepAlive: true, maxSockets: 16 });
    o.agent = this.agent;
    return o;
  }

  private async once(
    req: KubeRequest,
  ): Promise<KubeResponse & { retryAfter?: string; contentType?: string }> {
    const base = await this.options();
    const url = new URL(this.target.server + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = {
      ...(base.headers as Record<string, string> | undefined),
      Accept: req.accept ?? 'application/json',
      'User-Agent': 'istio-ingress-wizard',
    };
    if (payload !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const mod = url.protocol === 'http:' ? http : https;
    this.requests++;
    return await new Promise((resolve, reject) => {
      const r = mod.request(
        url,
        { method: req.method, headers, agent: base.agent, auth: base.auth, signal: req.signal },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            if ((res.headers['content-type'] ?? '').includes('json') && text) {
              try {
                body = JSON.parse(text);
              } catch {
                // keep the text: the error path shows it
              }
            }
            const ra = res.headers['retry-after'];
            resolve({
              status: res.statusCode ?? 0,
              body,
              retryAfter: Array.isArray(ra) ? ra[0] : ra,
              contentType: res.headers['content-type'],
            });
          });
        },
      );
      r.setTimeout(REQUEST_TIMEOUT_MS, () => {
        r.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' }));
      });
      r.on('error', reject);
      r.end(payload);
    });
  }

  close(): void {
    this.agent?.destroy();
  }
}
