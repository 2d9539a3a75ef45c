/**
 * The built `wizard` binary driven as a user drives it, against a stack tier cluster (stack.ts, or an API server
 * with istiod and Envoy): a config file and one state directory of its own below the test's directory, every run
 * `wizard ARGS --config FILE --kubeconfig K --state-dir STATE`, and curl --resolve against the gateway's address
 * (--cacert with the wizard's CA, never -k). One place for what every stack test repeated.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import { type CliResult, runWizard } from '../support/cli.js';

/** Where the runs go: the directory to keep their files under and the cluster's kubeconfig. */
export interface WizardTarget {
  dir: string;
  kubeconfig: string;
}

export interface WizardOptions {
  /** the subdirectory of target.dir for this setup's configs and state (two setups on one cluster differ here) */
  name?: string;
  /** environment for every run, e.g. a Stack's env('docker') that points the wizard at the stack's engines */
  env?: Record<string, string>;
  /** how long a run may take before it is killed; default 10 minutes */
  timeoutMs?: number;
}

export interface RunOptions {
  /** the config file (name below this setup's directory); default the last one written */
  config?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface WizardOnStack {
  /** this setup's directory (configs live here) */
  dir: string;
  /** the state directory every run shares */
  state: string;
  /** the wizard's CA certificate in the state directory (what curl --cacert trusts) */
  ca: string;
  /** Writes a config (YAML text, or an object written as YAML) as `name` (default wizard.yaml); returns its path. */
  write(config: string | object, name?: string): Promise<string>;
  /** `wizard ARGS --config FILE --kubeconfig K --state-dir STATE` (ARGS default `--yes`). */
  run(args?: string[], opts?: RunOptions): Promise<CliResult>;
  /** `wizard --yes`, then `wizard verify`, each asserted to exit 0 (the usual start of a stack test). */
  setUp(opts?: RunOptions): Promise<{ run: CliResult; verify: CliResult }>;
}

export function wizardOnStack(target: WizardTarget, opts: WizardOptions = {}): WizardOnStack {
  const dir = path.join(target.dir, opts.name ?? 'wizard');
  const state = path.join(dir, 'state');
  let current = 'wizard.yaml';
  const run = (args = ['--yes'], o: RunOptions = {}) =>
    runWizard(
      [
        ...args,
        '--config',
        path.join(dir, o.config ?? current),
        '--kubeconfig',
        target.kubeconfig,
        '--state-dir',
        state,
      ],
      { env: { ...opts.env, ...o.env }, timeoutMs: o.timeoutMs ?? opts.timeoutMs ?? 600_000 },
    );
  return {
    dir,
    state,
    ca: path.join(state, 'certs', 'ca.crt'),
    async write(config, name = 'wizard.yaml') {
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, name);
      await writeFile(file, typeof config === 'string' ? config : stringify(config));
      current = name;
      return file;
    },
    run,
    async setUp(o = {}) {
      const up = await run(['--yes'], o);
      expectOk(up, 'wizard --yes');
      const verify = await run(['verify'], o);
      expectOk(verify, 'wizard verify');
      return { run: up, verify };
    },
  };
}

/** Asserts a run exited 0, showing the end of its stderr when it did not. */
export function expectOk(r: CliResult, what = 'wizard'): void {
  expect(r.code, `${what} exited ${r.code}:\n${r.stderr.slice(-4000)}`).toBe(0);
}

/** verify's result lines (`✓ …` / `✗ …`), without the `[9/9] verify: ` prefix a full run puts before them. */
export function checkLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => l.replace(/^\[\d+\/\d+\] verify: /, '').trim())
    .filter((l) => /^[✓✗] /.test(l));
}

export interface CurlOptions {
  /** CA certificate to trust (--cacert); the system store otherwise */
  ca?: string;
  /** client certificate and key (MUTUAL hosts) */
  cert?: string;
  key?: string;
  /** --max-time in seconds; default 10 */
  maxTime?: number;
}

/** What curl saw: its exit code, and when an answer came, the HTTP status, body and Location it redirects to. */
export interface CurlAnswer {
  exit: number;
  /** 0 when no HTTP answer came */
  status: number;
  body: string;
  redirect: string;
}

/**
 * curl as a person would: `url`'s host resolved to the gateway's `address` (--resolve host:port:address, the port
 * from the URL), never -k. A failed handshake or connection is an exit code, not a throw.
 */
export function curlGateway(address: string, url: string, o: CurlOptions = {}): Promise<CurlAnswer> {
  const u = new URL(url);
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  const args = [
    '-sS',
    '-o',
    '-',
    '-w',
    '\n%{http_code}\n%{redirect_url}',
    '--max-time',
    String(o.maxTime ?? 10),
  ];
  if (o.ca) args.push('--cacert', o.ca);
  if (o.cert) args.push('--cert', o.cert);
  if (o.key) args.push('--key', o.key);
  args.push('--resolve', `${u.hostname}:${port}:${address}`, url);
  return new Promise((resolve) => {
    execFile('curl', args, (err, stdout) => {
      const lines = String(stdout).split('\n');
      const redirect = lines.pop() ?? '';
      const status = Number(lines.pop() ?? 0) || 0;
      const exit = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ exit, status, body: lines.join('\n').trim(), redirect });
    });
  });
}
