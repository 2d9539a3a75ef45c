// A StepContext for the build-image step over the real Exec (execa) — the stand-ins are real processes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import type { WizardConfig } from '../../src/config/types.js';
import { createExec } from '../../src/io/exec.js';
import { createOfflineCluster } from '../../src/io/offline.js';
import type { PreflightOutputs, StepContext } from '../../src/steps/types.js';

export function buildConfig(over: Partial<WizardConfig> = {}): WizardConfig {
  return { ...defaultConfig(), ...over };
}

export function preflight(over: Partial<PreflightOutputs> = {}): PreflightOutputs {
  return {
    context: 'some-context',
    server: 'https://127.0.0.1:6443',
    apiVersion: 'networking.istio.io/v1',
    ...over,
  };
}

export interface TestCtx extends StepContext {
  logged: string[];
}

/** Call inside a test: the state directory is removed when the test finishes. */
export function stepContext(
  config: WizardConfig,
  pre?: PreflightOutputs,
  log?: (l: string) => void,
): TestCtx {
  const logged: string[] = [];
  const stateDir = mkdtempSync(path.join(tmpdir(), 'wizard-state-'));
  onTestFinished(() => rmSync(stateDir, { recursive: true, force: true }));
  return {
    config,
    configDir: process.cwd(),
    stateDir,
    io: { cluster: createOfflineCluster(), exec: createExec() },
    flags: {
      mode: 'live',
      yes: true,
      includeSecrets: false,
      forceConflicts: false,
      wait: false,
      waitTimeoutSeconds: 60,
    },
    outputs: pre ? { preflight: pre } : {},
    log: (l) => {
      logged.push(l);
      log?.(l);
    },
    progress: () => {},
    signal: new AbortController().signal,
    logged,
  };
}
