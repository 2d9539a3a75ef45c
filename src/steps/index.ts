// The order of the wizard lives here and only here (create-astro keeps its actions in one array the same way); the
// step ids, their type and their order are derived from this array.
import { addHostsStep } from './add-hosts.js';
import { applyGatewayStep } from './apply-gateway.js';
import { buildImageStep } from './build-image.js';
import { defineSubsetsStep } from './define-subsets.js';
import { deployVersionsStep } from './deploy-versions.js';
import { generateCertsStep } from './generate-certs.js';
import { loadCertsStep } from './load-certs.js';
import { preflightStep } from './preflight.js';
import { verifyStep } from './verify.js';

export const STEPS = [
  preflightStep,
  buildImageStep,
  deployVersionsStep,
  defineSubsetsStep,
  addHostsStep,
  generateCertsStep,
  loadCertsStep,
  applyGatewayStep,
  verifyStep,
] as const;

export type StepId = (typeof STEPS)[number]['id'];

export const STEP_IDS: readonly StepId[] = STEPS.map((s) => s.id);

export function stepById(id: StepId): (typeof STEPS)[number] {
  return STEPS.find((s) => s.id === id) as (typeof STEPS)[number];
}
