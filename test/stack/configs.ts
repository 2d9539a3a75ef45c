/**
 * The wizard configs the breakage and resume stack tests run, in one place, so the istioctl analyze test
 * (features/istioctlAnalyze.test.ts) checks the dry-run output of exactly these (plus the bundled example).
 */

export interface StackHost {
  name: string;
  https?: boolean;
  /** tls.mode MUTUAL (a client certificate required) instead of SIMPLE */
  mutual?: boolean;
  /** a version, or weights like { v1: 80, v2: 20 } */
  route: string | Record<string, number>;
}

export interface StackConfigOptions {
  image: string;
  namespace?: string;
  hosts: StackHost[];
  /** verify's budget: short where a test expects verify to fail */
  verifySeconds?: number;
  /** the gateway workload; default Istio's classic istio-system / istio: ingressgateway */
  gateway?: { selector: Record<string, string>; namespace: string };
  httpsRedirect?: boolean;
  keyType?: 'ecdsa-p256' | 'rsa-2048';
}

export function stackConfig(o: StackConfigOptions): string {
  const host = (h: StackHost) =>
    [
      `  - name: ${h.name}`,
      `    protocol: ${h.https ? 'HTTPS' : 'HTTP'}`,
      ...(h.https ? [`    tls: { mode: ${h.mutual ? 'MUTUAL' : 'SIMPLE'} }`] : []),
      typeof h.route === 'string'
        ? `    route: ${h.route}`
        : `    routes:\n${Object.entries(h.route)
            .map(([subset, weight]) => `      - { subset: ${subset}, weight: ${weight} }`)
            .join('\n')}`,
    ].join('\n');
  return `namespace: ${o.namespace ?? 'default'}
app: flask
image: ${o.image}
versions:
  - name: v1
  - name: v2
gateway:
  name: flask-gateway
  selector: { ${Object.entries(o.gateway?.selector ?? { istio: 'ingressgateway' })
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')} }
  workloadNamespace: ${o.gateway?.namespace ?? 'istio-system'}
${o.httpsRedirect ? '  httpsRedirect: true\n' : ''}hosts:
${o.hosts.map(host).join('\n')}
build:
  enabled: false
${o.keyType ? `certs:\n  keyType: ${o.keyType}\n` : ''}${o.verifySeconds ? `verify:\n  timeoutSeconds: ${o.verifySeconds}\n` : ''}`;
}

export const E1 = 'flask.example1.com';
export const E2 = 'flask.example2.com';

/** The tutorial's mixed stage: example1 HTTPS → v2, example2 HTTP → v1 (the interrupted-and-resumed run). */
export const mixedHosts: StackHost[] = [
  { name: E1, https: true, route: 'v2' },
  { name: E2, route: 'v1' },
];

/** Both over HTTP, to different versions (the breakages that need no certificate). */
export const httpHosts: StackHost[] = [
  { name: E1, route: 'v2' },
  { name: E2, route: 'v1' },
];

/** One HTTPS host (the certificate the gateway may not read). */
export const httpsHost: StackHost[] = [{ name: E1, https: true, route: 'v1' }];

/**
 * Every config the stack tests built on this file run, by name, for the istioctl analyze test (image as given) —
 * and the shapes of the features/ and flow/ tests' own configs (tutorial stages, MUTUAL with rsa-2048, a weighted
 * split behind httpsRedirect, the Helm-style gateway, 120 hosts).
 */
export function stackConfigs(image: string): Record<string, string> {
  return {
    'resume (mixed HTTP/HTTPS)': stackConfig({ image, namespace: 'interrupted', hosts: mixedHosts }),
    'breakage: subsets over HTTP': stackConfig({ image, hosts: httpHosts, verifySeconds: 15 }),
    'breakage: one HTTPS host': stackConfig({ image, hosts: httpsHost, verifySeconds: 20 }),
    'tutorial: both HTTPS': stackConfig({
      image,
      hosts: [
        { name: E1, https: true, route: 'v2' },
        { name: E2, https: true, route: 'v1' },
      ],
    }),
    'MUTUAL, rsa-2048': stackConfig({
      image,
      keyType: 'rsa-2048',
      hosts: [
        { name: 'mtls.example.com', https: true, mutual: true, route: 'v1' },
        { name: 'plain.example.com', https: true, route: 'v2' },
      ],
    }),
    'weighted 80/20 behind httpsRedirect': stackConfig({
      image,
      httpsRedirect: true,
      hosts: [{ name: 'split.example.com', https: true, route: { v1: 80, v2: 20 } }],
    }),
    'Helm-style gateway': stackConfig({
      image,
      gateway: { selector: { istio: 'ingress' }, namespace: 'istio-ingress' },
      hosts: [
        { name: 'helm1.example.com', https: true, route: 'v2' },
        { name: 'helm2.example.com', route: 'v1' },
      ],
    }),
    '120 HTTP hosts': stackConfig({
      image,
      hosts: Array.from({ length: 120 }, (_, i) => ({
        name: `h${i}.example.com`,
        route: i % 2 ? 'v1' : 'v2',
      })),
    }),
  };
}
