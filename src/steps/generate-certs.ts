// Step generate-certs: a CA and per-host certificates in <stateDir>/certs. Local only: it also runs in a client
// dry-run. Logs say what was minted or reused and where; key material never leaves the 0600 files.
import { decideCerts } from '../certs/decide.js';
import { ensureCerts } from '../certs/ensure.js';
import { httpsHosts } from '../certs/store.js';
import type { Step } from './types.js';

export const generateCertsStep: Step<'config' | 'stateDir' | 'log'> = {
  id: 'generate-certs',
  title: 'Generate TLS certificates',
  effect: 'local',
  needs: [],
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
    return { 'generate-certs': paths };
  },
};
