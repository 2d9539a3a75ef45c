// Where the answers come from, in order: --config FILE, the saved state, the bundled example (--yes), the prompts
// (a terminal), else a usage error naming the key that is missing — never a hang waiting for input.
import path from 'node:path';
import {
  checkGivenValues,
  findMissingAnswers,
  loadConfig,
  loadRawConfig,
  validateConfig,
} from '../config/load.js';
import type { WizardConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { packageRoot } from '../image/paths.js';
import type { WizardState } from '../state/index.js';
import { askBlocker } from '../ui/env.js';
import type { CliArgs } from './args.js';
import { note } from './out.js';

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Answers {
  config: WizardConfig;
  configDir: string;
  revalidate: (config: WizardConfig) => WizardConfig;
}

export function exampleConfigPath(): string {
  return path.join(packageRoot(), 'assets', 'wizard.example.yaml');
}

/** Flags win over the answers, and go through the same validation (`-n Bad` is a usage error like in a file). */
function applyOverrides(config: WizardConfig, args: CliArgs, configDir: string): WizardConfig {
  let out = config;
  if (args.namespace) out = { ...out, namespace: args.namespace };
  if (args.api) out = { ...out, api: args.api };
  if (args.buildTool) out = { ...out, build: { ...out.build, tool: args.buildTool } };
  if (args.skipBuild) out = { ...out, build: { ...out.build, enabled: false } };
  return out === config
    ? config
    : validateConfig(out, { source: 'the command-line flags', configDir }).config;
}

export async function resolveAnswers(
  args: CliArgs,
  state: WizardState | undefined,
  env: { interactive: boolean },
): Promise<Answers> {
  const revalidateIn = (configDir: string) => (config: WizardConfig) =>
    validateConfig(config, { source: 'your answers', configDir }).config;

  const file = args.config ?? (args.recommended ? exampleConfigPath() : undefined);
  if (file) {
    if (args.recommended) note(`using the recommended setup: ${shortPath(file)}`);
    // On a terminal, what the file leaves out is asked for; elsewhere the loader names the missing keys.
    const loaded = await loadRawConfig(file);
    const { configDir } = loaded;
    // --api chooses the mode the file is judged in: what is an error in one mode may be fine in the other.
    const raw = args.api && isMapping(loaded.raw) ? { ...loaded.raw, api: args.api } : loaded.raw;
    const missing = findMissingAnswers(raw);
    if (missing.length && env.interactive) {
      // A wrong value is reported now, before anyone types an answer the error would then throw away.
      checkGivenValues(raw, missing, { source: file, configDir });
      const { askMissingAnswers } = await import('./interactive.js');
      const config = await askMissingAnswers(raw, missing, { source: file, configDir });
      return finish(config, configDir, args, revalidateIn(configDir));
    }
    const { config, warnings } = args.api
      ? validateConfig(raw, { source: file, configDir })
      : await loadConfig(file);
    for (const w of warnings) note(`warning: ${w}`);
    return finish(config, configDir, args, revalidateIn(configDir));
  }
  if (state) {
    const configDir = process.cwd();
    const { config } = validateConfig(state.answers, {
      source: `answers saved in ${args.stateDir}/state.json`,
      configDir,
    });
    return finish(config, configDir, args, revalidateIn(configDir));
  }
  if (args.yes) {
    // A try-out may use the bundled example; changing a cluster with it takes saying so.
    if (args.mode === 'live') {
      throw new UsageError(
        'no answers for a live run: --yes with no --config and no saved answers would apply the bundled example to the current cluster',
        [],
        'pass --config FILE with your answers (or --recommended to apply the recommended setup, assets/wizard.example.yaml), or add --dry-run to try it out',
      );
    }
    const example = exampleConfigPath();
    note(`no --config given: using the bundled example ${shortPath(example)}`);
    const { config, configDir, warnings } = await loadConfig(example);
    for (const w of warnings) note(`warning: ${w}`);
    return finish(config, configDir, args, revalidateIn(configDir));
  }
  if (env.interactive) {
    const example = exampleConfigPath();
    const recommended = await loadConfig(example);
    const { askInitialAnswers } = await import('./interactive.js');
    const answer = await askInitialAnswers({ config: recommended.config, file: shortPath(example) });
    const configDir = answer.recommended ? recommended.configDir : process.cwd();
    return finish(answer.config, configDir, args, revalidateIn(configDir));
  }
  const missing = findMissingAnswers({});
  throw new UsageError(
    `no answers, and no questions without an interactive terminal (${askBlocker() ?? 'no terminal'}): missing ${missing.join(', ')}`,
    missing.map((k) => `${k}: set it in a config file and pass --config FILE`),
    'pass --config FILE (see assets/wizard.example.yaml), or --yes to use the bundled example',
  );
}

function shortPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

function finish(
  config: WizardConfig,
  configDir: string,
  args: CliArgs,
  revalidate: (c: WizardConfig) => WizardConfig,
): Answers {
  return { config: applyOverrides(config, args, configDir), configDir, revalidate };
}

/** Refusals before anything is asked or read: a run that changes a cluster needs someone (or --yes) to say so. */
export function refuseUnattended(
  args: CliArgs,
  env: { interactive: boolean },
  saved: WizardState | undefined,
): void {
  // Nobody can be asked "Run <step>?": changing a cluster then takes an explicit --yes (like teardown).
  if (!env.interactive && !args.yes && args.mode === 'live') {
    throw new UsageError(
      `cannot ask before each step changes the cluster: no interactive terminal (${askBlocker() ?? 'no terminal'})`,
      [],
      'pass --yes (with --config FILE for the answers) to go ahead everywhere, or --dry-run to only print the manifests',
    );
  }
  // A client dry-run's answers (a try-out, maybe of the bundled example) never silently drive a run that changes a
  // cluster: on a terminal the resume question says where they come from; without one, --config must say it.
  if (
    saved?.answersMode === 'client-dry-run' &&
    args.mode !== 'client-dry-run' &&
    !env.interactive &&
    !args.config
  ) {
    throw new UsageError(
      `the answers saved in ${args.stateDir} come from a client dry-run (a try-out): not applied without asking`,
      [],
      'pass --config FILE with the answers to apply, or run on a terminal to confirm them',
    );
  }
}
