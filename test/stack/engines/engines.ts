// One call for a tier that needs the real engines: a loopback registry, a private dockerd and podman set up to
// push to it. What the rest of the stack needs from here:
//   - registry.host: the plain-HTTP registry for containerd's mirror config (cluster.ts registryMirrors);
//   - docker.env / podman.env: the environment that points the real wizard's `docker`/`podman` at these engines;
//   - pushFlaskImage(): flask/ built and pushed, for tests that do not run build-image themselves; its result is
//     the reference a Deployment names and the kubelet pulls.
import path from 'node:path';
import { FLASK_CONTEXT } from './baseImage.js';
import { type Docker, startDocker } from './docker.js';
import { type Podman, preparePodman } from './podman.js';
import { type Registry, startRegistry } from './registry.js';

export const FLASK_REPOSITORY = 'python-flask-server';

export interface Engines {
  registry: Registry;
  docker: Docker;
  podman?: Podman;
  stop(): Promise<void>;
}

export async function startEngines(opts: { dir: string; podman?: boolean }): Promise<Engines> {
  const registry = await startRegistry({ dir: path.join(opts.dir, 'registry') });
  let docker: Docker | undefined;
  let podman: Podman | undefined;
  const stop = async () => {
    await docker?.stop();
    await podman?.stop();
    await registry.stop();
  };
  try {
    docker = await startDocker({ dir: path.join(opts.dir, 'docker') });
    if (opts.podman)
      podman = await preparePodman({
        dir: path.join(opts.dir, 'podman'),
        insecureRegistries: [registry.host],
      });
    return { registry, docker, podman, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Builds flask/ with docker and pushes it; returns the image reference (host:port/python-flask-server:TAG). */
export async function pushFlaskImage(e: Pick<Engines, 'docker' | 'registry'>, tag = 'v2'): Promise<string> {
  const image = e.registry.image(FLASK_REPOSITORY, tag);
  await e.docker.docker(['build', '-t', image, FLASK_CONTEXT]);
  await e.docker.docker(['push', image]);
  if (!(await e.registry.tags(FLASK_REPOSITORY)).includes(tag))
    throw new Error(`pushed ${image}, but the registry does not list the tag`);
  return image;
}
