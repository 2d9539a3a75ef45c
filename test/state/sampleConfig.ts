// A complete, valid WizardConfig for UI and state tests (no key material: certFile/keyFile would be paths).
import { defaultConfig } from '../../src/config/defaults.js';
import type { WizardConfig } from '../../src/config/types.js';

export function sampleConfig(): WizardConfig {
  return {
    ...defaultConfig(),
    loadBalancer: 'ROUND_ROBIN',
    hosts: [
      { name: 'v1.example.com', protocol: 'HTTP', routes: [{ subset: 'v1', weight: 100 }] },
      {
        name: 'split.example.com',
        protocol: 'HTTPS',
        tls: { mode: 'SIMPLE' },
        routes: [
          { subset: 'v1', weight: 80 },
          { subset: 'v2', weight: 20 },
        ],
      },
    ],
    verify: { timeoutSeconds: 60, samples: 100 },
  };
}
