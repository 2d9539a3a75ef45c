// A complete, valid WizardConfig for UI and state tests (no key material: certFile/keyFile would be paths).
import type { WizardConfig } from '../../src/config/types.js';

export function sampleConfig(): WizardConfig {
  return {
    namespace: 'default',
    app: 'flask',
    image: 'python-flask-server:v2',
    versions: [
      { name: 'v1', replicas: 1 },
      { name: 'v2', replicas: 1 },
    ],
    loadBalancer: 'ROUND_ROBIN',
    gateway: {
      name: 'flask-gateway',
      selector: { istio: 'ingressgateway' },
      workloadNamespace: 'istio-system',
      httpsRedirect: false,
      alsoMesh: false,
    },
    hosts: [
      { name: 'v1.example.com', protocol: 'HTTP', routes: [{ subset: 'v1', weight: 100 }] },
      {
        name: 'split.example.com',
        protocol: 'HTTPS',
        tls: { mode: 'SIMPLE' },
        routes: [
          { subset: 'v1', weight: 80 },
          { subset: 'v2', weight: 20 },
        ],
      },
    ],
    certs: { storage: 'credentialName', keyType: 'ecdsa-p256', validityDays: 365 },
    istio: { apiVersion: 'auto' },
    build: { enabled: true },
    verify: { timeoutSeconds: 60, samples: 100 },
  };
}
