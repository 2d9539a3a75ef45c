// The one StepContext tests start from: the example-like sample config, a recording (client dry-run) cluster, a
// no-op Exec, live flags with --yes, and the facts the runner would resolve. Override what a test is about.
import { defaultConfig } from '../../src/config/defaults.js';
import { createRecordingCluster } from '../../src/io/recording.js';
import type { Exec } from '../../src/io/types.js';
import { resolveFacts } from '../../src/runner/facts.js';
import type { RuntimeFlags, StepContext } from '../../src/steps/types.js';

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
