// What `wizard verify -o json` prints: plain JSON data, no class instances, no secrets (paths at most).

export type CheckKind = 'version' | 'weights' | 'mtls-required' | 'wrong-scheme' | 'unknown-host';

export interface VerifyCheck {
  /** The configured host (a wildcard stays as written); `requestHost` is the name actually sent. */
  host: string;
  kind: CheckKind;
  ok: boolean;
  /** What this check establishes, in one line. */
  title: string;
  url: string;
  requestHost: string;
  attempts: number;
  /** Time of the last attempt (for weights: all its samples). */
  latencyMs: number;
  status?: number;
  /** Response body of the last attempt, truncated. */
  body?: string;
  curlExit?: number;
  curlError?: string;
  /** Version checks: the expected version. Weights: the expected share of each version (0..1). */
  expected?: string | Record<string, number>;
  /** Weights: observed shares, sample counts and the tolerance used. */
  observed?: Record<string, number>;
  samples?: number;
  tolerance?: number;
  /** What a failure means, and what to look at next. */
  diagnosis?: string;
  next?: string;
}

export interface VerifyReport {
  ok: boolean;
  address: string;
  httpPort: number;
  httpsPort: number;
  passed: number;
  failed: number;
  durationMs: number;
  checks: VerifyCheck[];
}
