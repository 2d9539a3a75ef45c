// Stable hashing of a step's inputs: key order must not matter (config files and prompts build objects in
// different orders), so objects are serialised with sorted keys before sha256.
import { createHash } from 'node:crypto';
import { stableStringify } from '../lib/stableJson.js';

export { stableStringify };

/** `sha256:<hex>` of the stable JSON of value. */
export function hashInputs(value: unknown): string {
  return `sha256:${createHash('sha256').update(stableStringify(value)).digest('hex')}`;
}
