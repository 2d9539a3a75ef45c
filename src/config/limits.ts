/** The ranges the config file accepts and the prompts ask within (inclusive). */
export const LIMITS = {
  replicas: [0, 1000],
  validityDays: [1, 3650],
  timeoutSeconds: [1, 3600],
  samples: [100, 100_000],
} as const;
