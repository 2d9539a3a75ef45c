// Multi-document YAML for `kubectl apply -f -`: stable, no anchors/aliases (repeated label maps stay inline), and
// no line folding (base64 and PEM lines must stay whole). Emitted in YAML 1.1 terms, because kubectl parses 1.1:
// strings such as `on`, `yes` or `0123` are quoted instead of turning into booleans or numbers there.
import { Document } from 'yaml';
import type { K8sObject } from './types.js';

export function toYaml(obj: unknown): string {
  const doc = new Document(obj, { aliasDuplicateObjects: false, version: '1.1' });
  return doc.toString({ lineWidth: 0, minContentWidth: 0, directives: false });
}

export function toYamlStream(objects: readonly K8sObject[]): string {
  return objects.map(toYaml).join('---\n');
}
