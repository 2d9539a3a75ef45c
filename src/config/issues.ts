// One problem in a config, and how it is printed: `hosts[1].routes[0].subset: "v3" is not a defined version`.
import type { z } from 'zod';
import { shownValue } from '../secrets/keyLike.js';

export type IssuePath = readonly (string | number)[];

export interface ConfigIssue {
  path: IssuePath;
  message: string;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `hosts[1].tls.certFile`; keys that are not plain words are quoted: `selector["app.kubernetes.io/name"]`. */
export function formatPath(path: IssuePath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    // A key is echoed like a value: one that looks like key material is named, not shown.
    else out += shownValue(seg) === seg ? `[${JSON.stringify(seg)}]` : `[${shownValue(seg)}]`;
  }
  return out === '' ? '(top level)' : out;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${formatPath(issue.path)}: ${issue.message}`;
}

/** Zod issues → ours; an unknown-keys issue becomes one issue per key, at the key's own path. */
export function fromZod(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((seg): seg is string | number => typeof seg !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...path, key], message: issue.message });
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

const TOP_LEVEL_ORDER = [
  'api',
  'namespace',
  'app',
  'image',
  'versions',
  'loadBalancer',
  'gateway',
  'gatewayApi',
  'hosts',
  'certs',
  'istio',
  'build',
  'verify',
];

/**
 * Problems in the order a person reads the file: by top-level key, then list index; ties keep their order.
 * Identical lines (a schema and a cross-check finding the same thing) are printed once.
 */
export function orderIssues(issues: readonly ConfigIssue[]): string[] {
  const rank = (i: ConfigIssue) => {
    const top = TOP_LEVEL_ORDER.indexOf(String(i.path[0]));
    return [top < 0 ? TOP_LEVEL_ORDER.length : top, typeof i.path[1] === 'number' ? i.path[1] : -1] as const;
  };
  const sorted = issues
    .map((issue, index) => ({ issue, index, rank: rank(issue) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.index - b.index);
  return [...new Set(sorted.map((s) => formatIssue(s.issue)))];
}
