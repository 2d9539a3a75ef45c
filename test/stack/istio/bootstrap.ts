/**
 * Envoy's bootstrap for the ingress gateway: what pilot-agent would generate for istio-proxy, reduced to what
 * upstream Envoy needs — the node identity istiod reads (the metadata keys pilot-agent sends as ISTIO_META_*), one
 * ADS stream to istiod's TLS xDS port with a client certificate istiod's CA signed, and the status listener
 * (15021 /healthz/ready → Envoy's own /ready, which answers 200 only once the first LDS/CDS are in).
 */
import type { GatewayIdentity } from './manifests.js';
import { GATEWAY_PORTS } from './manifests.js';

export interface BootstrapInput {
  id: GatewayIdentity;
  podIP: string;
  clusterId: string;
  istioVersion: string;
  xds: { address: string; port: number; san: string };
  files: { cert: string; key: string; root: string };
  adminPort: number;
}

const TLS_UPSTREAM = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';
const HCM =
  'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const ROUTER = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';
const HTTP_OPTIONS = 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

const staticCluster = (name: string, address: string, port: number) => ({
  name,
  type: 'STATIC',
  connect_timeout: '1s',
  load_assignment: {
    cluster_name: name,
    endpoints: [
      { lb_endpoints: [{ endpoint: { address: { socket_address: { address, port_value: port } } } }] },
    ],
  },
});

export function envoyBootstrap(b: BootstrapInput): Record<string, unknown> {
  const { id } = b;
  return {
    node: {
      // router~IP~POD.NS~NS.svc.cluster.local: "router" makes istiod build gateway listeners for it.
      id: `router~${b.podIP}~${id.podName}.${id.namespace}~${id.namespace}.svc.cluster.local`,
      cluster: `${id.serviceName}.${id.namespace}`,
      metadata: {
        NAMESPACE: id.namespace,
        SERVICE_ACCOUNT: id.serviceAccount,
        // The Gateway's selector matches these.
        LABELS: id.labels,
        NAME: id.podName,
        CLUSTER_ID: b.clusterId,
        MESH_ID: 'cluster.local',
        INSTANCE_IPS: b.podIP,
        WORKLOAD_NAME: id.serviceName,
        OWNER: `kubernetes://apis/apps/v1/namespaces/${id.namespace}/deployments/${id.serviceName}`,
        ISTIO_VERSION: b.istioVersion,
        PILOT_SAN: [b.xds.san],
        ENVOY_STATUS_PORT: GATEWAY_PORTS.status,
      },
    },
    admin: { address: { socket_address: { address: b.podIP, port_value: b.adminPort } } },
    dynamic_resources: {
      ads_config: {
        api_type: 'GRPC',
        transport_api_version: 'V3',
        set_node_on_first_message_only: true,
        grpc_services: [{ envoy_grpc: { cluster_name: 'xds-grpc' } }],
      },
      cds_config: { ads: {}, initial_fetch_timeout: '0s', resource_api_version: 'V3' },
      lds_config: { ads: {}, initial_fetch_timeout: '0s', resource_api_version: 'V3' },
    },
    static_resources: {
      clusters: [
        {
          ...staticCluster('xds-grpc', b.xds.address, b.xds.port),
          typed_extension_protocol_options: {
            'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
              '@type': HTTP_OPTIONS,
              explicit_http_config: { http2_protocol_options: {} },
            },
          },
          transport_socket: {
            name: 'envoy.transport_sockets.tls',
            typed_config: {
              '@type': TLS_UPSTREAM,
              sni: b.xds.san,
              common_tls_context: {
                alpn_protocols: ['h2'],
                tls_certificates: [
                  { certificate_chain: { filename: b.files.cert }, private_key: { filename: b.files.key } },
                ],
                validation_context: {
                  trusted_ca: { filename: b.files.root },
                  match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { exact: b.xds.san } }],
                },
              },
            },
          },
        },
        staticCluster('admin', b.podIP, b.adminPort),
      ],
      listeners: [
        {
          name: 'status',
          address: { socket_address: { address: b.podIP, port_value: GATEWAY_PORTS.status } },
          filter_chains: [
            {
              filters: [
                {
                  name: 'envoy.filters.network.http_connection_manager',
                  typed_config: {
                    '@type': HCM,
                    stat_prefix: 'status',
                    route_config: {
                      virtual_hosts: [
                        {
                          name: 'status',
                          domains: ['*'],
                          routes: [
                            {
                              match: { path: '/healthz/ready' },
                              route: { cluster: 'admin', prefix_rewrite: '/ready' },
                            },
                          ],
                        },
                      ],
                    },
                    http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER } }],
                  },
                },
              ],
            },
          ],
        },
      ],
    },
  };
}
