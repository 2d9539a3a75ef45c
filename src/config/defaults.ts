// The values a config gets for every key it leaves out: what the schema fills into an empty file (the defaults
// are written once, in schema.ts). The TUI starts from them.
import { configSchema } from './schema.js';
import type { WizardConfig } from './types.js';

export { LIMITS } from './limits.js';

/** Read-only: take a copy (defaultConfig, defaultOf) before changing anything. */
export const DEFAULTS: Readonly<WizardConfig> = Object.freeze(configSchema.parse({}));

/** A fresh copy of the defaults (hosts: []): the starting point of the interactive wizard. */
export function defaultConfig(): WizardConfig {
  return structuredClone(DEFAULTS);
}

/** A fresh copy of one top-level section's defaults. */
export function defaultOf<K extends keyof WizardConfig>(key: K): WizardConfig[K] {
  return structuredClone(DEFAULTS[key]);
}
