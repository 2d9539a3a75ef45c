// A StepContext for the build-image step over the real Exec (execa) — the stand-ins are real processes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import type { WizardConfig } from '../../src/config/types.js';
import { createExec } from '../../src/io/exec.js';
import { createRecordingCluster } from '../../src/io/recording.js';
import type { PreflightOutputs } from '../../src/steps/types.js';
import { type TestContext, testContext } from './context.js';

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

export type TestCtx = TestContext;

/** Call inside a test: the state directory is removed when the test finishes. */
export function stepContext(
  config: WizardConfig,
  pre?: PreflightOutputs,
  log?: (l: string) => void,
): TestCtx {
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
