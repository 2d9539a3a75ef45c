// Dry-run output without private keys. The placeholder is deliberately NOT valid base64 (`<`, `:` and spaces are
// outside the alphabet), so `kubectl apply` of redacted output fails loudly ("illegal base64 data") instead of
// silently storing garbage as a key — a bare word like `REDACTED` would decode fine and be applied.
import type { K8sObject } from './types.js';

export const REDACTED_PLACEHOLDER = '<redacted: private key; rerun with --include-secrets>';
export const REDACTED_ANNOTATION = 'istio-ingress-wizard/redacted';
const ANNOTATION_TEXT = 'private keys replaced by a placeholder; rerun with --include-secrets to print them';

/** Data keys that hold private keys by naming convention (tls.key, <host>-key.pem, *.key). */
function isKeyName(key: string): boolean {
  return key === 'tls.key' || /(^|[-.])key(\.pem)?$/i.test(key);
}

function decodesToPrivateKey(b64: string): boolean {
  return Buffer.from(b64, 'base64').toString('latin1').includes('PRIVATE KEY');
}

function redactMap(
  map: Record<string, unknown> | undefined,
  isSecret: (key: string, value: string) => boolean,
): { map: Record<string, unknown> | undefined; hit: boolean } {
  if (!map || typeof map !== 'object') return { map, hit: false };
  let hit = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(map)) {
    if (typeof v === 'string' && isSecret(k, v)) {
      out[k] = REDACTED_PLACEHOLDER;
      hit = true;
    } else out[k] = v;
  }
  return { map: out, hit };
}

/** Deep copies of `objects` with every private key in a Secret's data/stringData replaced by the placeholder. */
export function redactSecrets(objects: readonly K8sObject[]): K8sObject[] {
  return objects.map((obj) => {
    const copy = structuredClone(obj) as K8sObject;
    if (copy.kind !== 'Secret') return copy;
    const data = redactMap(copy.data, (k, v) => isKeyName(k) || decodesToPrivateKey(v));
    const stringData = redactMap(copy.stringData, (k, v) => isKeyName(k) || v.includes('PRIVATE KEY'));
    if (data.map !== undefined) copy.data = data.map;
    if (stringData.map !== undefined) copy.stringData = stringData.map;
    if (data.hit || stringData.hit) {
      copy.metadata.annotations = { ...copy.metadata.annotations, [REDACTED_ANNOTATION]: ANNOTATION_TEXT };
    }
    return copy;
  });
}
