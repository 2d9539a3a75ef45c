/**
 * Pure builders for the node's configuration files: containerd, CNI, kubelet, kube-proxy, kubeconfig. Every
 * setting that exists because of this machine says why (README.md has the longer story).
 */

export interface NodeLayout {
  dir: string;
  nodeName: string;
  nodeIP: string;
  podCIDR: string;
  serviceCIDR: string;
  bridge: string;
  cgroupRoot: string;
  containerdSock: string;
  pauseImage: string;
}

export function containerdToml(l: NodeLayout, registryConfigDir: string): string {
  const q = JSON.stringify;
  return `version = 2
root = ${q(`${l.dir}/containerd/root`)}
state = ${q(`${l.dir}/containerd/state`)}
# 0 = leave containerd's own oom_score_adj alone: lowering it needs CAP_SYS_RESOURCE, which this machine lacks.
oom_score = 0
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = ${q(l.containerdSock)}
[ttrpc]
  address = ${q(`${l.containerdSock}.ttrpc`)}
[debug]
  address = ""
  level = "info"
[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = ${q(`${l.dir}/containerd/opt`)}

[plugins."io.containerd.grpc.v1.cri"]
  # No registry can be pulled from: the sandbox image is made locally and imported (image.ts).
  sandbox_image = ${q(l.pauseImage)}
  # runc would otherwise write the pod's (lower) oom_score_adj: "nsexec: failed to update /proc/self/oom_score_adj".
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  disable_apparmor = true
  max_container_log_line_size = 16384
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    discard_unpacked_layers = false
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        # crun fails on this cgroup v1 hybrid machine; there is no systemd, hence cgroupfs.
        BinaryName = "/usr/sbin/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = ${q(`${l.dir}/cni/net.d`)}
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = ${q(registryConfigDir)}
`;
}

/** containerd hosts.toml for one mirror: a plain-HTTP registry on loopback, pull and resolve only. */
export function hostsToml(server: string): string {
  return `server = ${JSON.stringify(server)}

[host.${JSON.stringify(server)}]
  capabilities = ["pull", "resolve"]
`;
}

/** The pod network: one bridge the tier owns; pods get a route to the Service range only, no default route. */
export function cniConflist(l: NodeLayout, extraPodRoutes: string[]): string {
  const [net, bits] = l.podCIDR.split('/') as [string, string];
  return JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'wiznode',
      plugins: [
        {
          type: 'bridge',
          bridge: l.bridge,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            dataDir: `${l.dir}/cni/ipam`,
            ranges: [[{ subnet: `${net}/${bits}`, gateway: l.nodeIP }]],
            routes: [{ dst: l.serviceCIDR }, ...extraPodRoutes.map((dst) => ({ dst }))],
          },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  );
}

export function kubeletConfig(
  l: NodeLayout,
  o: { port: number; healthzPort: number; ca: string; cert: string; key: string },
): string {
  return JSON.stringify(
    {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      address: l.nodeIP,
      port: o.port,
      readOnlyPort: 0,
      healthzBindAddress: '127.0.0.1',
      healthzPort: o.healthzPort,
      tlsCertFile: o.cert,
      tlsPrivateKeyFile: o.key,
      authentication: {
        anonymous: { enabled: false },
        webhook: { enabled: false },
        x509: { clientCAFile: o.ca },
      },
      authorization: { mode: 'AlwaysAllow' },
      cgroupDriver: 'cgroupfs',
      // A cgroup subtree of the tier's own: stop() removes it whole, and nothing clashes with a /kubepods of another.
      cgroupRoot: l.cgroupRoot,
      cgroupsPerQOS: true,
      failCgroupV1: false,
      failSwapOn: false,
      // The hard open-files limit here is 20000 (kubelet asks for 1000000 by default and fails).
      maxOpenFiles: 10000,
      oomScoreAdj: 0,
      // Never write kernel sysctls: kubelet would set kernel.panic_on_oops=1 etc. The private mount namespace shows
      // it files with the values it checks; if that ever failed, kubelet refuses to start instead of writing.
      protectKernelDefaults: true,
      makeIPTablesUtilChains: false,
      // Eviction that never fires on a shared test disk; image GC off (the images cannot be pulled again).
      evictionHard: {
        'memory.available': '1Mi',
        'nodefs.available': '1Mi',
        'nodefs.inodesFree': '1',
        'imagefs.available': '1Mi',
      },
      evictionPressureTransitionPeriod: '5s',
      imageGCHighThresholdPercent: 100,
      imageGCLowThresholdPercent: 99,
      imageMinimumGCAge: '87600h',
      // No nameserver for pods: an empty resolvConf disables DNS, nothing leaves the tier's network.
      resolvConf: '',
      clusterDomain: 'cluster.local',
      registerNode: true,
      serializeImagePulls: false,
      nodeStatusUpdateFrequency: '5s',
      syncFrequency: '10s',
      fileCheckFrequency: '5s',
      containerRuntimeEndpoint: `unix://${l.containerdSock}`,
      enableServer: true,
      logging: { format: 'text' },
      shutdownGracePeriod: '0s',
      localStorageCapacityIsolation: true,
    },
    null,
    2,
  );
}

export function kubeProxyConfig(
  l: NodeLayout,
  o: { kubeconfig: string; healthzPort: number; metricsPort: number },
): string {
  return JSON.stringify(
    {
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      clientConnection: { kubeconfig: o.kubeconfig },
      mode: 'iptables',
      hostnameOverride: l.nodeName,
      bindAddress: '127.0.0.1',
      healthzBindAddress: `127.0.0.1:${o.healthzPort}`,
      metricsBindAddress: `127.0.0.1:${o.metricsPort}`,
      clusterCIDR: l.podCIDR,
      detectLocalMode: 'ClusterCIDR',
      // Lowering oom_score_adj needs CAP_SYS_RESOURCE (default -999 fails).
      oomScoreAdj: 0,
      // Zero = leave the host's conntrack sysctls alone (nf_conntrack_max, TCP timeouts).
      conntrack: {
        maxPerCore: 0,
        min: 0,
        tcpEstablishedTimeout: '0s',
        tcpCloseWaitTimeout: '0s',
        udpTimeout: '0s',
        udpStreamTimeout: '0s',
      },
      // localhostNodePorts would set net.ipv4.conf.all.route_localnet=1 on the host.
      iptables: { localhostNodePorts: false, masqueradeAll: false, syncPeriod: '30s', minSyncPeriod: '0s' },
      // NodePorts only on the node's own bridge address, never on the host's other interfaces.
      nodePortAddresses: [`${l.nodeIP}/32`],
      logging: { format: 'text' },
    },
    null,
    2,
  );
}

export function kubeconfigYaml(o: {
  server: string;
  caData: string;
  certData: string;
  keyData: string;
  name: string;
}): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: wizard-node
  cluster:
    server: ${JSON.stringify(o.server)}
    certificate-authority-data: ${JSON.stringify(o.caData)}
users:
- name: ${JSON.stringify(o.name)}
  user:
    client-certificate-data: ${JSON.stringify(o.certData)}
    client-key-data: ${JSON.stringify(o.keyData)}
contexts:
- name: ${JSON.stringify(o.name)}
  context:
    cluster: wizard-node
    user: ${JSON.stringify(o.name)}
    namespace: default
current-context: ${JSON.stringify(o.name)}
preferences: {}
`;
}

/** The values kubelet checks with protectKernelDefaults, shown to it instead of the host's (host.ts masks them). */
export const KUBELET_SYSCTLS: Record<string, string> = {
  'vm/overcommit_memory': '1',
  'vm/panic_on_oom': '0',
  'kernel/panic': '10',
  'kernel/panic_on_oops': '1',
  'kernel/keys/root_maxkeys': '1000000',
  'kernel/keys/root_maxbytes': '25000000',
};

/**
 * Sysctls other node processes would write on the host, masked too so a write lands in a file of the tier's:
 * the CNI bridge plugin's isGateway turns ip_forward on; kube-proxy's conntrack and route_localnet settings
 * (switched off in its config; masked in case).
 */
export const ABSORBED_SYSCTLS = [
  'net/ipv4/ip_forward',
  'net/ipv4/conf/all/route_localnet',
  'net/netfilter/nf_conntrack_max',
  'net/netfilter/nf_conntrack_tcp_timeout_established',
  'net/netfilter/nf_conntrack_tcp_timeout_close_wait',
  'net/netfilter/nf_conntrack_tcp_be_liberal',
];
