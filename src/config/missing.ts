// Keys that have no value and no default: the interactive wizard asks for them, a non-interactive run fails at
// once naming them. Wrong values are not "missing"; validation reports those.
import { formatPath, type IssuePath } from './issues.js';
import { dropNulls, isMap, mapItems } from './raw.js';

export function findMissingAnswers(input: unknown): string[] {
  const raw = dropNulls(input);
  if (raw === undefined || raw === null) return ['hosts'];
  if (!isMap(raw)) return [];
  const missing: IssuePath[] = [];

  for (const [i, version] of mapItems(raw.versions)) {
    if (version.name === undefined) missing.push(['versions', i, 'name']);
  }

  if (raw.hosts === undefined || (Array.isArray(raw.hosts) && raw.hosts.length === 0))
    missing.push(['hosts']);
  for (const [i, host] of mapItems(raw.hosts)) {
    if (host.name === undefined) missing.push(['hosts', i, 'name']);
    if (host.protocol === undefined) missing.push(['hosts', i, 'protocol']);
    if (host.route === undefined && host.routes === undefined) missing.push(['hosts', i, 'routes']);
    for (const [j, route] of mapItems(host.routes)) {
      if (route.subset === undefined) missing.push(['hosts', i, 'routes', j, 'subset']);
      if (route.weight === undefined) missing.push(['hosts', i, 'routes', j, 'weight']);
    }
    if (isMap(host.tls)) {
      // A bring-your-own certificate needs both halves.
      if (host.tls.certFile !== undefined && host.tls.keyFile === undefined)
        missing.push(['hosts', i, 'tls', 'keyFile']);
      if (host.tls.keyFile !== undefined && host.tls.certFile === undefined)
        missing.push(['hosts', i, 'tls', 'certFile']);
    }
  }
  return missing.map(formatPath);
}
