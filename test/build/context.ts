// A StepContext for the build-image step over the real Exec (execa) — the stand-ins are real processes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import type { WizardConfig } from '../../src/config/types.js';
import { createExec } from '../../src/io/exec.js';
import { createOfflineCluster } from '../../src/io/offline.js';
import type { PreflightOutputs, StepContext } from '../../src/steps/types.js';

export function buildConfig(over: Partial<WizardConfig> = {}): WizardConfig {
  return {
    namespace: 'default',
    app: 'flask',
    image: 'python-flask-server:v2',
    versions: [
      { name: 'v1', replicas: 1 },
      { name: 'v2', replicas: 1 },
    ],
    loadBalancer: 'RANDOM',
    gateway: {
      name: 'flask-gateway',
      selector: { istio: 'ingressgateway' },
      workloadNamespace: 'istio-system',
      httpsRedirect: false,
      alsoMesh: false,
    },
    hosts: [],
    certs: { storage: 'credentialName', keyType: 'ecdsa-p256', validityDays: 365 },
    istio: { apiVersion: 'auto' },
    build: { enabled: true },
    verify: { timeoutSeconds: 120, samples: 100 },
    ...over,
  };
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
