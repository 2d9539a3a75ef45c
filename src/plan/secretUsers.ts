// Which other wizard setups use a secret: a certificate under this plan's name may belong to another Gateway
// (the name depends only on the host), so preflight refuses to overwrite it and teardown leaves it.
import { MANAGED_BY_LABEL, MANAGER } from '../config/types.js';
import type { ClusterIo } from '../io/types.js';
import {
  FILE_MOUNT_CA_DIR,
  FILE_MOUNT_CA_SECRET,
  FILE_MOUNT_CERTS_DIR,
  FILE_MOUNT_CERTS_SECRET,
} from '../manifests/secrets.js';
import type { K8sObject } from '../manifests/types.js';

/** Secret name → the wizard Gateway (not this plan's) whose servers use it, by credentialName or file mount. */
export async function secretUsers(
  cluster: ClusterIo,
  apiVersion: string,
  self: { namespace: string; name: string },
): Promise<Map<string, string>> {
  let gateways: K8sObject[];
  try {
    gateways = await cluster.list({
      apiVersion,
      kind: 'Gateway',
      labelSelector: `${MANAGED_BY_LABEL}=${MANAGER}`,
    });
  } catch {
    return new Map(); // cannot list Gateways in all namespaces: nothing known to share
  }
  const users = new Map<string, string>();
  for (const gw of gateways) {
    const ns = gw.metadata.namespace ?? '';
    if (ns === self.namespace && gw.metadata.name === self.name) continue;
    const by = `Gateway/${ns}/${gw.metadata.name}`;
    for (const server of (gw.spec?.servers ?? []) as { tls?: Record<string, unknown> }[]) {
      const tls = server.tls ?? {};
      if (typeof tls.credentialName === 'string') {
        users.set(tls.credentialName, by);
        users.set(`${tls.credentialName}-cacert`, by);
      }
      for (const v of Object.values(tls)) {
        if (typeof v !== 'string') continue;
        if (v.startsWith(`${FILE_MOUNT_CERTS_DIR}/`)) users.set(FILE_MOUNT_CERTS_SECRET, by);
        if (v.startsWith(`${FILE_MOUNT_CA_DIR}/`)) users.set(FILE_MOUNT_CA_SECRET, by);
      }
    }
  }
  return users;
}
