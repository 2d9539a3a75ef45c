// The first question of a first run (no config, no saved state): the recommended setup — the tutorial's final
// state, the bundled assets/wizard.example.yaml — shown in a few lines, or customise the answers one by one.
// `--recommended` (or `--config FILE`) answers it up front.
import type { WizardConfig } from '../../config/types.js';
import { describeHost } from './hosts.js';
import { ask, type PromptIo, promptContext, requireInteractive } from './io.js';
import { select } from './kit.js';

export type SetupChoice = 'recommended' | 'customise';

/** A few lines saying what a config sets up; derived from the config itself, so it never drifts from the file. */
export function describeSetup(config: WizardConfig): string[] {
  const versions = config.versions.map((v) => v.name).join(', ');
  const selector = Object.entries(config.gateway.selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return [
    `app ${config.app} (image ${config.image}), versions ${versions}, namespace ${config.namespace}`,
    ...config.hosts.map(
      (h) => `host ${describeHost(h)}${h.protocol === 'HTTPS' ? ', its own certificate' : ''}`,
    ),
    `gateway ${config.gateway.name} on the pods labelled ${selector} in ${config.gateway.workloadNamespace}`,
  ];
}

export async function askSetup(
  recommended: WizardConfig,
  opts: { io?: PromptIo; file?: string } = {},
): Promise<SetupChoice> {
  const io = opts.io ?? {};
  requireInteractive(io, ['hosts']);
  const lines = describeSetup(recommended).map((l) => `    ${l}`);
  const file = opts.file ?? 'assets/wizard.example.yaml';
  return ask(() =>
    select<SetupChoice>(
      {
        message: `How should the ingress be set up?\n  The recommended setup (the tutorial's final state, ${file}):\n${lines.join('\n')}\n `,
        choices: [
          { name: 'Use the recommended setup', value: 'recommended', description: 'same as --recommended' },
          {
            name: 'Customise: answer the questions one by one',
            value: 'customise',
            description: 'namespace, app, image, versions, load balancer, hosts',
          },
        ],
        default: 'recommended',
      },
      promptContext(io),
    ),
  );
}
