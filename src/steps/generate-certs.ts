// Step generate-certs: a CA and per-host certificates in <stateDir>/certs. Local only: it runs in every mode (see
// the README on where a client dry-run keeps them). Logs say what was minted or reused and where; key material never
// leaves the 0600 files. Its outputs carry a fingerprint of each public certificate for load-certs' inputs.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { decideCerts } from '../certs/decide.js';
import { ensureCerts } from '../certs/ensure.js';
import { httpsHosts } from '../certs/store.js';
import type { CertPaths, Step } from './types.js';

export const generateCertsStep: Step<'generate-certs', 'config' | 'stateDir' | 'log'> = {
  id: 'generate-certs',
  title: 'Generate TLS certificates',
  effect: 'local',
  needs: [],
  answers: ['certs.keyType', 'certs.validityDays'],
  inputs: ({ config }) => ({
    hosts: httpsHosts(config.hosts).map((h) => ({ name: h.name, tls: h.tls ?? null })),
    certs: config.certs,
  }),
  async plan({ config, stateDir }) {
    const d = await decideCerts(config, stateDir, new Date());
    const notes = [
      `CA: ${d.ca.action === 'reuse' ? 'reuse' : `mint ${config.certs.keyType}`} (${d.ca.reason})`,
    ];
    for (const h of d.hosts) {
      const verb = h.server.action === 'mint' ? `mint ${config.certs.keyType}` : h.server.action;
      let note = `${h.host.name}: ${verb} server certificate (${h.server.reason})`;
      if (h.client) note += `; ${h.client.action} client certificate (${h.client.reason})`;
      for (const w of h.warnings) note += `; warning: ${w}`;
      notes.push(note);
    }
    if (d.hosts.length === 0) notes.push('no HTTPS hosts: only the CA');
    return { notes };
  },
  async run({ config, stateDir, log }) {
    const { paths } = await ensureCerts(config, stateDir, { log });
    return { 'generate-certs': { ...paths, fingerprints: await fingerprints(paths) } };
  },
};

/**
 * sha256 of each public certificate file (keys are never read for this), written `sha256:<hex>` like an image digest:
 * the state file is checked for anything key-like, and a bare 64-digit hex run is how a raw key can look.
 */
async function fingerprints(paths: CertPaths): Promise<Record<string, string>> {
  const files = [paths.caCert, ...Object.values(paths.hosts).flatMap((h) => [h.cert, h.clientCert ?? ''])];
  const out: Record<string, string> = {};
  for (const f of files.filter(Boolean)) {
    out[f] = `sha256:${createHash('sha256')
      .update(await readFile(f))
      .digest('hex')}`;
  }
  return out;
}
