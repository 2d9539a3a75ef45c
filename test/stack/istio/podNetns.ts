/**
 * On a real node: the gateway pod is a real pod (its container only holds the network namespace, like a pod's
 * sandbox), scheduled by the kubelet, given an address by the CNI plugin and marked Ready by the kubelet's readiness
 * probe on 15021 — which Envoy answers once it joins that namespace (`nsenter --net`, which execs, so the PID stays
 * Envoy's). Nothing about the node's networking is made or changed here: the namespace is the kubelet's.
 *
 * istio.ts uses it when `node` is given (node.test.ts runs it on the real node of test/stack/cluster.ts).
 */
import { readdir, readFile } from 'node:fs/promises';
import type { LiveCluster } from '../../../src/io/kube/live.js';
import type { GatewayNetns } from './netns.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A PID in the container's cgroup: with the cgroupfs driver its cgroup path ends in the container ID. */
async function pidOfContainer(containerId: string): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cgroup = await readFile(`/proc/${entry}/cgroup`, 'utf8').catch(() => '');
    if (cgroup.includes(containerId)) return Number(entry);
  }
  return undefined;
}

export async function joinPodNetns(
  cluster: LiveCluster,
  pod: { namespace: string; name: string },
  nodeAddress: string,
  timeoutMs = 120_000,
): Promise<GatewayNetns> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const got = await cluster.get({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: pod.namespace,
      name: pod.name,
    });
    const status = got?.status ?? {};
    const running = (status.containerStatuses ?? []).find(
      (c: { state?: { running?: unknown } }) => c.state?.running,
    ) as { containerID?: string } | undefined;
    const id = running?.containerID?.replace(/^[a-z]+:\/\//, '');
    if (status.podIP && id) {
      const pid = await pidOfContainer(id);
      if (pid) {
        return {
          name: `pod ${pod.namespace}/${pod.name}`,
          podIP: status.podIP,
          hostIP: nodeAddress,
          backendIPs: [],
          exec: ['nsenter', `--net=/proc/${pid}/ns/net`, '--'],
          async close() {},
        };
      }
      last = `no process in the cgroup of container ${id}`;
    } else {
      last = `phase ${status.phase ?? 'unknown'}${status.podIP ? '' : ', no pod IP yet'}`;
    }
    if (Date.now() > deadline) {
      throw new Error(`gateway pod ${pod.namespace}/${pod.name} not running after ${timeoutMs} ms (${last})`);
    }
    await sleep(250);
  }
}
