// The state module's public surface (no ink/react here: it is loaded on every run, TTY or not).
export { hashInputs, stableStringify } from './hash.js';
export {
  findPrivateKey,
  loadState,
  newState,
  resetState,
  SecretInStateError,
  StateFileError,
  saveState,
  statePath,
  withStep,
} from './store.js';
export * from './types.js';
