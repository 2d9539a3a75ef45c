/**
 * The node's throw-away PKI (openssl CLI, EC P-256, 2 days), the same approach as test/control-plane: one CA, the
 * API server's serving certificate (loopback + the `kubernetes` Service IP), one cluster-admin client certificate
 * every component uses (the tier tests the wizard, not the components' least-privilege identities), the kubelet's
 * serving certificate for the node IP (the API server verifies it for exec/logs), and the service-account key pair.
 */
import path from 'node:path';
import { issueCert, LEAF, makeCa, makeServiceAccountKeys } from '../../support/opensslPki.js';

export interface NodePki {
  ca: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  adminCert: string;
  adminKey: string;
  kubeletCert: string;
  kubeletKey: string;
  saKey: string;
  saPub: string;
}

export async function makeNodePki(
  dir: string,
  o: { nodeName: string; nodeIP: string; kubernetesServiceIP: string },
): Promise<NodePki> {
  await makeCa(dir, 'wizard-node-ca');
  await Promise.all([
    issueCert(
      dir,
      'apiserver',
      { cn: 'kube-apiserver' },
      `${LEAF}\nextendedKeyUsage = serverAuth\nsubjectAltName = IP:127.0.0.1, IP:${o.kubernetesServiceIP}, DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local`,
    ),
    issueCert(
      dir,
      'admin',
      { cn: 'wizard-node-admin', org: 'system:masters' },
      `${LEAF}\nextendedKeyUsage = clientAuth`,
    ),
    issueCert(
      dir,
      'kubelet',
      { cn: `system:node:${o.nodeName}`, org: 'system:nodes' },
      `${LEAF}\nextendedKeyUsage = serverAuth\nsubjectAltName = IP:${o.nodeIP}, DNS:${o.nodeName}`,
    ),
    makeServiceAccountKeys(dir),
  ]);
  const p = (f: string) => path.join(dir, f);
  return {
    ca: p('ca.crt'),
    caKey: p('ca.key'),
    apiserverCert: p('apiserver.crt'),
    apiserverKey: p('apiserver.key'),
    adminCert: p('admin.crt'),
    adminKey: p('admin.key'),
    kubeletCert: p('kubelet.crt'),
    kubeletKey: p('kubelet.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
  };
}
