// Flags, parsed strictly: an unknown flag or a bad value is a usage error (exit 2) naming the flag.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { APIS, BUILD_TOOLS, type BuildTool, type RoutingApi } from '../config/types.js';
import { UsageError } from '../errors.js';
import { parseStepId, parseStepList } from '../runner/selection.js';
import type { RunMode, RuntimeFlags, StepId } from '../steps/types.js';
import { didYouMean } from '../suggest.js';

export const COMMANDS = ['run', 'steps', 'verify', 'teardown', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

/** The flags the steps see are CliArgs fields of the same name (runtimeFlags copies them). */
type StepFlags = Pick<
  RuntimeFlags,
  'forceConflicts' | 'wait' | 'waitTimeoutSeconds' | 'address' | 'httpPort' | 'httpsPort'
>;

export interface CliArgs extends StepFlags {
  command: Command;
  config?: string;
  /** --api: overrides the config's `api` (istio | gateway-api). */
  api?: RoutingApi;
  mode: RunMode;
  yes: boolean;
  /** The recommended setup (the bundled assets/wizard.example.yaml) as the answers, without asking. */
  recommended: boolean;
  /** Ask before each step even in a client dry-run (which otherwise goes ahead: it changes nothing). */
  step: boolean;
  includeSecrets: boolean;
  stateDir: string;
  /** --wait-lock: wait for another run on the same state directory instead of stopping. */
  waitLock: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  from?: StepId;
  to?: StepId;
  skip: StepId[];
  reset: boolean;
  output: 'text' | 'json' | 'yaml';
  buildTool?: BuildTool;
  skipBuild: boolean;
  purgeCerts: boolean;
  help: boolean;
  version: boolean;
}

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  api: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  recommended: { type: 'boolean' },
  step: { type: 'boolean' },
  'include-secrets': { type: 'boolean' },
  'state-dir': { type: 'string' },
  'wait-lock': { type: 'boolean' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  from: { type: 'string' },
  to: { type: 'string' },
  skip: { type: 'string', multiple: true },
  reset: { type: 'boolean' },
  'force-conflicts': { type: 'boolean' },
  'no-wait': { type: 'boolean' },
  'wait-timeout': { type: 'string' },
  address: { type: 'string' },
  'http-port': { type: 'string' },
  'https-port': { type: 'string' },
  output: { type: 'string', short: 'o' },
  'build-tool': { type: 'string' },
  'skip-build': { type: 'boolean' },
  'purge-certs': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

/** Every long flag, for "did you mean" (--dry-run is parsed apart). */
const KNOWN_FLAGS = [...Object.keys(OPTIONS), 'dry-run'];

/** `--dry-run` takes an optional value (kubectl's `--dry-run=client|server`), which parseArgs cannot express. */
function takeDryRun(argv: string[]): { rest: string[]; mode: RunMode } {
  let mode: RunMode = 'live';
  const rest: string[] = [];
  for (const a of argv) {
    if (a === '--dry-run' || a === '--dry-run=client') mode = 'client-dry-run';
    else if (a === '--dry-run=server') mode = 'server-dry-run';
    else if (a.startsWith('--dry-run=')) {
      throw new UsageError(`--dry-run: "${a.slice('--dry-run='.length)}" is not allowed (client, server)`);
    } else rest.push(a);
  }
  return { rest, mode };
}

function port(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) {
    throw new UsageError(`${flag}: "${value}" is not a port (1-65535)`);
  }
  return n;
}

/** Seconds, or a duration with a unit like 90s, 3m. */
export function parseDuration(value: string, flag: string): number {
  const m = /^(\d+)(s|m|h)?$/.exec(value.trim());
  if (!m) throw new UsageError(`${flag}: "${value}" is not a duration (e.g. 180, 90s, 3m)`);
  const n = Number(m[1]) * (m[2] === 'm' ? 60 : m[2] === 'h' ? 3600 : 1);
  if (n < 1) throw new UsageError(`${flag}: must be at least 1 second`);
  return n;
}

export function parseCli(argv: string[]): CliArgs {
  const { rest, mode } = takeDryRun(argv);
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    // node's messages name the flag ("Unknown option '--foo'"); keep them, drop the code and stack.
    const message = (err as Error).message.replace(/\. To specify a positional.*$/s, '');
    const unknown = /^Unknown option '(-{1,2})([^'=]+)/.exec(message);
    const hint = unknown ? didYouMean(unknown[2] ?? '', KNOWN_FLAGS, (k) => `--${k}`) : '';
    throw new UsageError(`${message}${hint}`, [], 'see `wizard --help`');
  }
  const v = parsed.values;
  const [first, ...extra] = parsed.positionals;
  const command = (first ?? 'run') as Command;
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(
      `unknown command "${first}"${didYouMean(first ?? '', COMMANDS)} (valid: ${COMMANDS.join(', ')})`,
      [],
      'see `wizard --help`',
    );
  }
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, [], 'see `wizard --help`');

  const output = (v.output ?? 'text') as CliArgs['output'];
  if (!['text', 'json', 'yaml'].includes(output)) {
    throw new UsageError(`--output: "${v.output}" is not allowed (text, json, yaml)`);
  }
  if (v.api !== undefined && !(APIS as readonly string[]).includes(v.api)) {
    throw new UsageError(`--api: "${v.api}" is not allowed (${APIS.join(', ')})`);
  }
  if (v['build-tool'] && !(BUILD_TOOLS as readonly string[]).includes(v['build-tool'])) {
    throw new UsageError(`--build-tool: "${v['build-tool']}" is not allowed (${BUILD_TOOLS.join(', ')})`);
  }
  if (v.namespace !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(v.namespace)) {
    throw new UsageError(
      `--namespace: "${v.namespace}" is not a valid namespace (lower-case DNS-1123 label, at most 63 characters)`,
    );
  }
  // Files named on the command line are checked before any question, so no answers are typed for nothing.
  if (v.kubeconfig !== undefined && !existsSync(v.kubeconfig)) {
    throw new UsageError(
      `--kubeconfig: ${v.kubeconfig}: no such file`,
      [],
      'pass an existing kubeconfig file',
    );
  }
  if (v.config !== undefined && v.recommended)
    throw new UsageError('--config and --recommended together: --recommended is the bundled example config');
  if (v['state-dir'] !== undefined && v['state-dir'].trim() === '') {
    // path.resolve('') is the working directory: a CA key would land in whatever checkout the person is in.
    throw new UsageError(
      '--state-dir: must not be empty (it names the directory for the state and certificates)',
      [],
      'pass a directory, e.g. --state-dir .wizard (the default)',
    );
  }
  if (v.from !== undefined && v.reset)
    throw new UsageError('--from and --reset together: --reset starts at the first step');

  return {
    command,
    config: v.config,
    api: v.api as RoutingApi | undefined,
    mode,
    yes: v.yes ?? false,
    recommended: v.recommended ?? false,
    step: v.step ?? false,
    includeSecrets: v['include-secrets'] ?? false,
    // Absolute, so the certificate paths saved in the state still work from another working directory.
    stateDir: path.resolve(v['state-dir'] ?? '.wizard'),
    waitLock: v['wait-lock'] ?? false,
    kubeconfig: v.kubeconfig,
    context: v.context,
    namespace: v.namespace,
    from: v.from === undefined ? undefined : parseStepId(v.from, '--from'),
    to: v.to === undefined ? undefined : parseStepId(v.to, '--to'),
    skip: (v.skip ?? []).flatMap((s) => parseStepList(s, '--skip')),
    reset: v.reset ?? false,
    forceConflicts: v['force-conflicts'] ?? false,
    wait: !(v['no-wait'] ?? false),
    waitTimeoutSeconds:
      v['wait-timeout'] === undefined ? 180 : parseDuration(v['wait-timeout'], '--wait-timeout'),
    address: v.address,
    httpPort: port(v['http-port'], '--http-port'),
    httpsPort: port(v['https-port'], '--https-port'),
    output,
    buildTool: v['build-tool'] as BuildTool | undefined,
    skipBuild: v['skip-build'] ?? false,
    purgeCerts: v['purge-certs'] ?? false,
    help: v.help ?? false,
    version: v.version ?? false,
  };
}

/** The flags the steps see (verify's target overrides, apply's conflicts, the rollout wait). */
export function runtimeFlags(args: CliArgs): RuntimeFlags {
  return {
    mode: args.mode,
    yes: args.yes,
    includeSecrets: args.includeSecrets,
    forceConflicts: args.forceConflicts,
    wait: args.wait,
    waitTimeoutSeconds: args.waitTimeoutSeconds,
    address: args.address,
    httpPort: args.httpPort,
    httpsPort: args.httpsPort,
  };
}
