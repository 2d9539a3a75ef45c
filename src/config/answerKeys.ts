// The config keys a person can be asked for, dotted like the config file and in the order they are asked. Each
// step names the ones that shape it (its `answers`), so "Edit the answers" asks exactly those.
export const ANSWER_KEYS = [
  'namespace',
  'app',
  'image',
  'versions',
  'loadBalancer',
  'api',
  'build.enabled',
  'build.load',
  'gateway.name',
  'gateway.selector',
  'gateway.workloadNamespace',
  'gateway.httpsRedirect',
  'hosts',
  'certs.storage',
  'certs.keyType',
  'certs.validityDays',
  'verify.address',
  'verify.httpPort',
  'verify.httpsPort',
] as const;
export type AnswerKey = (typeof ANSWER_KEYS)[number];
