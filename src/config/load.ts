// Reading a config: YAML text → raw value → schema + cross-checks → WizardConfig with defaults filled and paths
// made absolute. Every problem is collected and thrown as one UsageError (exit 2), one `path: message` per line.
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { UsageError } from '../errors.js';
import { FileReadError, readText } from '../io/files.js';
import { shownValue } from '../secrets/keyLike.js';
import { crossCheck } from './crossChecks.js';
import { gatewayApiIssues } from './gatewayApiRules.js';
import { formatPath, fromZod, orderIssues } from './issues.js';
import { dropNulls } from './raw.js';
import { configSchema } from './schema.js';
import type { WizardConfig } from './types.js';
import { configWarnings } from './warnings.js';
import { MAX_DEPTH, tagIssues, tooDeepLine } from './yamlInput.js';

export { defaultConfig } from './defaults.js';
export { findMissingAnswers } from './missing.js';

export interface ValidateOptions {
  /** Names the config in error messages (a file path, or e.g. "your answers"). */
  source?: string;
  /** Relative certFile/keyFile/build.context paths are resolved against this; default: the working directory. */
  configDir?: string;
  /** Keys that may still be empty: the interactive wizard asks for hosts after loading the file. */
  allowMissing?: readonly 'hosts'[];
}

export interface Validated {
  config: WizardConfig;
  warnings: string[];
}

const HINT = 'see assets/wizard.example.yaml for a complete, commented example';

/**
 * YAML text → plain value (nulls dropped so `key:` means "use the default"); YAML errors name line and column.
 * Merge keys (`<<: *anchor`) are honoured, as kubectl and most YAML tools do.
 */
export function parseYaml(text: string, source: string): unknown {
  // Measured on the text: a parser given thousands of nested brackets exhausts its stack, or memory.
  const deep = tooDeepLine(text);
  if (deep !== undefined) {
    throw new UsageError(
      `invalid YAML in ${source}`,
      [`nested too deeply (line ${deep}): more than ${MAX_DEPTH} levels`],
      HINT,
    );
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, merge: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((err) => {
      const pos = err.linePos?.[0];
      const first = err.message.split('\n')[0] ?? '';
      const reason = /Maximum call stack/.test(first)
        ? 'nested too deeply'
        : first.replace(/ at line \d+, column \d+:?$/, '');
      return pos ? `line ${pos.line}, column ${pos.col}: ${reason}` : reason;
    });
    throw new UsageError(`invalid YAML in ${source}`, issues, HINT);
  }
  const tags = tagIssues(doc, lines, text);
  if (tags.length > 0) throw new UsageError(`invalid YAML in ${source}`, tags, HINT);
  try {
    return dropNulls(doc.toJS({ maxAliasCount: 100 })) ?? {};
  } catch (err) {
    // Unresolved aliases and alias bombs surface only when converting.
    throw new UsageError(`invalid YAML in ${source}`, [(err as Error).message], HINT);
  }
}

function resolvePaths(config: WizardConfig, configDir: string): WizardConfig {
  for (const host of config.hosts) {
    if (host.tls?.certFile) host.tls.certFile = resolve(configDir, host.tls.certFile);
    if (host.tls?.keyFile) host.tls.keyFile = resolve(configDir, host.tls.keyFile);
  }
  if (config.build.context) config.build.context = resolve(configDir, config.build.context);
  return config;
}

/** Validates a raw config (from a file or assembled by prompts). Throws UsageError listing every problem. */
export function validateConfig(raw: unknown, opts: ValidateOptions = {}): Validated {
  const source = opts.source ?? 'your answers';
  const configDir = resolve(opts.configDir ?? process.cwd());
  const input = dropNulls(raw) ?? {};
  const parsed = configSchema.safeParse(input);
  const cross = crossCheck(input, {
    configDir,
    hostsOptional: opts.allowMissing?.includes('hosts') ?? false,
  });
  const issues = [
    ...(parsed.success ? gatewayApiIssues(parsed.data) : fromZod(parsed.error.issues)),
    ...cross.issues,
  ];
  if (!parsed.success || issues.length > 0) {
    throw new UsageError(`invalid config ${source}`, orderIssues(issues), HINT);
  }
  const config = resolvePaths(parsed.data, configDir);
  return { config, warnings: [...cross.warnings, ...configWarnings(config)] };
}

/**
 * Before asking for what a file leaves out (`missing`, as findMissingAnswers names it): every other problem in it,
 * at once — so nobody types hosts only to be told the file's namespace was wrong.
 */
export function checkGivenValues(raw: unknown, missing: readonly string[], opts: ValidateOptions = {}): void {
  const input = dropNulls(raw) ?? {};
  const parsed = configSchema.safeParse(input);
  const cross = crossCheck(input, {
    configDir: resolve(opts.configDir ?? process.cwd()),
    hostsOptional: true,
  });
  const asked = (path: string) =>
    missing.some((m) => path === m || path.startsWith(`${m}.`) || path.startsWith(`${m}[`));
  // A host still being completed is asked for whole: its other issues are the prompts' business.
  const issues = [...(parsed.success ? [] : fromZod(parsed.error.issues)), ...cross.issues].filter(
    (i) =>
      !asked(formatPath(i.path)) &&
      !missing.some((m) => formatPath(i.path).startsWith(m.replace(/\.[^.[]+$/, ''))),
  );
  if (issues.length > 0) {
    throw new UsageError(`invalid config ${opts.source ?? 'your answers'}`, orderIssues(issues), HINT);
  }
}

export function parseConfig(
  text: string,
  opts: { source: string; configDir: string; allowMissing?: readonly 'hosts'[] },
): Validated {
  return validateConfig(parseYaml(text, opts.source), opts);
}

/** The file as a raw value, for findMissingAnswers and for prompts that fill in what it leaves out. */
export async function loadRawConfig(file: string): Promise<{ raw: unknown; configDir: string }> {
  let text: string;
  try {
    // A regular file of a sane size only: a FIFO would hang, /dev/zero never ends, a huge file takes minutes.
    text = await readText(file, { kind: 'config' });
  } catch (err) {
    if (!(err instanceof FileReadError)) throw err;
    throw new UsageError(
      `cannot read config file ${shownValue(file)}: ${err.problem}`,
      [],
      'pass an existing YAML file to --config',
    );
  }
  return { raw: parseYaml(text, shownValue(file)), configDir: dirname(resolve(file)) };
}

export async function loadConfig(
  file: string,
  opts: { allowMissing?: readonly 'hosts'[] } = {},
): Promise<Validated & { configDir: string }> {
  const { raw, configDir } = await loadRawConfig(file);
  const validated = validateConfig(raw, { source: file, configDir, allowMissing: opts.allowMissing });
  return { ...validated, configDir };
}
