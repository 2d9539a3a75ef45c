export { checkDeletePermissions, planTeardown, scanTeardown } from './plan.js';
export { refText, runTeardown, type TeardownResult } from './run.js';
