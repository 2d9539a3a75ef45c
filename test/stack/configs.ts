/**
 * The wizard configs the breakage and resume stack tests run, in one place, so the istioctl analyze test
 * (features/istioctlAnalyze.test.ts) checks the dry-run output of exactly these (plus the bundled example).
 */

export interface StackHost {
  name: string;
  https?: boolean;
  /** a version, or weights like { v1: 80, v2: 20 } */
  route: string | Record<string, number>;
}

export interface StackConfigOptions {
  image: string;
  namespace?: string;
  hosts: StackHost[];
  /** verify's budget: short where a test expects verify to fail */
  verifySeconds?: number;
}

export function stackConfig(o: StackConfigOptions): string {
  const host = (h: StackHost) =>
    [
      `  - name: ${h.name}`,
      `    protocol: ${h.https ? 'HTTPS' : 'HTTP'}`,
      ...(h.https ? ['    tls: { mode: SIMPLE }'] : []),
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
  selector: { istio: ingressgateway }
  workloadNamespace: istio-system
hosts:
${o.hosts.map(host).join('\n')}
build:
  enabled: false
${o.verifySeconds ? `verify:\n  timeoutSeconds: ${o.verifySeconds}\n` : ''}`;
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

/** Every config the stack tests above run, by name, for the istioctl analyze test (image as given). */
export function stackConfigs(image: string): Record<string, string> {
  return {
    'resume (mixed HTTP/HTTPS)': stackConfig({ image, namespace: 'interrupted', hosts: mixedHosts }),
    'breakage: subsets over HTTP': stackConfig({ image, hosts: httpHosts, verifySeconds: 15 }),
    'breakage: one HTTPS host': stackConfig({ image, hosts: httpsHost, verifySeconds: 20 }),
    'weighted 80/20': stackConfig({ image, hosts: [{ name: E1, route: { v1: 80, v2: 20 } }] }),
  };
}
