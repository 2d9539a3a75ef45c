// The manifests tests' base config: the example with the API version fixed (no cluster to ask), no build, and
// verify settings the goldens were written with. Hosts and fake certificates come from test/support/configs.ts.
import type { WizardConfig } from '../../src/config/types.js';
import { exampleConfig } from '../support/configs.js';

export function makeConfig(overrides: Partial<WizardConfig> = {}): WizardConfig {
  const base: WizardConfig = {
    ...exampleConfig(),
    istio: { apiVersion: 'networking.istio.io/v1' },
    build: { enabled: false },
    verify: { timeoutSeconds: 60, samples: 200 },
  };
  return { ...base, ...overrides, gateway: { ...base.gateway, ...overrides.gateway } };
}
