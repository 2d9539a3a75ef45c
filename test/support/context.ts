// The one StepContext tests start from: the example-like sample config, a recording (client dry-run) cluster, a
// no-op Exec, live flags with --yes, and the facts the runner would resolve. Override what a test is about.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import type { WizardConfig } from '../../src/config/types.js';
import { createExec } from '../../src/io/exec.js';
import { createRecordingCluster } from '../../src/io/recording.js';
import type { Exec } from '../../src/io/types.js';
import { resolveFacts } from '../../src/runner/facts.js';
import type { PreflightOutputs, RuntimeFlags, StepContext } from '../../src/steps/types.js';

export const noExec: Exec = {
  run: async () => ({ exitCode: 0, stdout: '', stderr: '' }),
  which: async () => undefined,
};

export function testFlags(over: Partial<RuntimeFlags> = {}): RuntimeFlags {
  return {
    mode: 'live',
    yes: true,
    includeSecrets: false,
    forceConflicts: false,
    wait: false,
    waitTimeoutSeconds: 1,
    ...over,
  };
}

export interface TestContext extends StepContext {
  /** Every line the step logged. */
  logged: string[];
}

/** `flags` may be partial; `facts` are resolved from the final config and outputs unless given. */
export function testContext(
  over: Partial<Omit<StepContext, 'flags'>> & { flags?: Partial<RuntimeFlags> } = {},
): TestContext {
  const logged: string[] = [];
  const { flags, ...rest } = over;
  const config = over.config ?? defaultConfig();
  const outputs = over.outputs ?? {};
  return {
    configDir: '.',
    stateDir: '/nonexistent',
    io: { cluster: createRecordingCluster(), exec: noExec },
    log: (l) => void logged.push(l),
    progress: () => undefined,
    signal: new AbortController().signal,
    ...rest,
    config,
    outputs,
    flags: testFlags(flags),
    facts: over.facts ?? resolveFacts(config, outputs),
    logged,
  };
}

/** What preflight would hand on (a context, a server, the Istio API version), for steps that read it. */
export function preflight(over: Partial<PreflightOutputs> = {}): PreflightOutputs {
  return {
    context: 'some-context',
    server: 'https://127.0.0.1:6443',
    apiVersion: 'networking.istio.io/v1',
    ...over,
  };
}

/**
 * testContext over the real Exec (execa: the stand-ins are real processes) and a fresh state directory, removed
 * when the test finishes (call it inside a test).
 */
export function stepContext(
  config: WizardConfig,
  pre?: PreflightOutputs,
  log?: (l: string) => void,
): TestContext {
  const logged: string[] = [];
  const stateDir = mkdtempSync(path.join(tmpdir(), 'wizard-state-'));
  onTestFinished(() => rmSync(stateDir, { recursive: true, force: true }));
  const ctx = testContext({
    config,
    configDir: process.cwd(),
    stateDir,
    io: { cluster: createRecordingCluster(), exec: createExec() },
    flags: { waitTimeoutSeconds: 60 },
    outputs: pre ? { preflight: pre } : {},
    log: (l) => {
      logged.push(l);
      log?.(l);
    },
  });
  return { ...ctx, logged };
}
