// The order of the wizard lives here and only here (create-astro keeps its steps in one array the same way).
import { addHostsStep } from './add-hosts.js';
import { applyGatewayStep } from './apply-gateway.js';
import { buildImageStep } from './build-image.js';
import { defineSubsetsStep } from './define-subsets.js';
import { deployVersionsStep } from './deploy-versions.js';
import { generateCertsStep } from './generate-certs.js';
import { loadCertsStep } from './load-certs.js';
import { preflightStep } from './preflight.js';
import type { Step } from './types.js';
import { verifyStep } from './verify.js';

// biome-ignore lint/suspicious/noExplicitAny: each step narrows the context it needs (Pick<StepContext, …>)
export const STEPS: Step<any>[] = [
  preflightStep,
  buildImageStep,
  deployVersionsStep,
  defineSubsetsStep,
  addHostsStep,
  generateCertsStep,
  loadCertsStep,
  applyGatewayStep,
  verifyStep,
];
