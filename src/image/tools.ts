// Which container tool builds the image, and how to ask it whether its engine is up.
import { BUILD_TOOLS, type BuildTool } from '../config/types.js';
import type { Exec } from '../io/types.js';
import type { PlannedCommand } from '../steps/types.js';

export const INSTALL_HINT: Record<BuildTool | 'kind' | 'minikube' | 'k3d', string> = {
  docker: 'install Docker (https://docs.docker.com/engine/install/)',
  podman: 'install Podman (https://podman.io/docs/installation)',
  nerdctl: 'install nerdctl with containerd (https://github.com/containerd/nerdctl)',
  kind: 'install kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation)',
  minikube: 'install minikube (https://minikube.sigs.k8s.io/docs/start/)',
  k3d: 'install k3d (https://k3d.io/#installation)',
};

export interface FoundTool {
  tool: BuildTool;
  path: string;
}

/** The configured tool if on PATH; otherwise the first of docker, podman, nerdctl on PATH. */
export async function findTool(
  exec: Exec,
  configured: BuildTool | undefined,
): Promise<{ found?: FoundTool; tried: BuildTool[] }> {
  const candidates = configured ? [configured] : [...BUILD_TOOLS];
  for (const tool of candidates) {
    const p = await exec.which(tool);
    if (p) return { found: { tool, path: p }, tried: candidates };
  }
  return { tried: candidates };
}

/** A cheap command that fails when the engine behind the client is not reachable. */
export function daemonCheck(tool: BuildTool): PlannedCommand {
  const args = tool === 'docker' ? ['info', '--format', '{{.ServerVersion}}'] : ['info'];
  return { cmd: tool, args, why: `check that the ${tool} engine is running` };
}

export const START_HINT: Record<BuildTool, string> = {
  docker: 'start the Docker daemon (`sudo systemctl start docker`, or open Docker Desktop)',
  podman: 'start Podman (`podman machine start` on macOS/Windows; on Linux check `podman info`)',
  nerdctl: 'start containerd (`sudo systemctl start containerd`) and check `nerdctl info`',
};
