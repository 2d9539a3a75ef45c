// The exact commands the build-image step runs, computed without running anything: plan() shows these and run()
// executes the same list, so what is shown is what happens.
import path from 'node:path';
import type { BuildTool } from '../config/types.js';
import type { PlannedCommand } from '../steps/types.js';
import { imageFileName } from './reference.js';
import type { ShipTarget } from './target.js';
import { daemonCheck } from './tools.js';

export type Phase = 'daemon' | 'build' | 'save' | 'load' | 'push';

export interface BuildCommand extends PlannedCommand {
  phase: Phase;
}

export interface BuildInput {
  tool: BuildTool;
  image: string;
  context: string;
  /** The build file, when it is not the context's Dockerfile (-f). */
  file?: string;
  ship: ShipTarget;
  /** Where image archives go when the cluster tool can't read the engine's store directly. */
  archiveDir: string;
}

/**
 * kind, minikube and k3d read images straight from the Docker engine. For podman and nerdctl the image is saved
 * to an archive first and the archive is loaded — the form all three tools accept whatever built the image.
 */
export function buildCommands(input: BuildInput): BuildCommand[] {
  const { tool, image, context, ship } = input;
  const cmds: BuildCommand[] = [
    { ...daemonCheck(tool), phase: 'daemon' },
    {
      cmd: tool,
      args: ['build', ...(input.file ? ['-f', input.file] : []), '-t', image, context],
      why: `build ${image} from ${context}`,
      phase: 'build',
    },
  ];
  const t = ship.target;
  if (t === 'none') return cmds;
  if (t === 'push') {
    cmds.push({ cmd: tool, args: ['push', image], why: `push ${image} to its registry`, phase: 'push' });
    return cmds;
  }
  const cluster = ship.cluster ?? '';
  const direct = tool === 'docker';
  const archive = path.join(input.archiveDir, `${imageFileName(image)}.tar`);
  if (!direct) {
    cmds.push({
      cmd: tool,
      args: ['save', '-o', archive, image],
      why: `save ${image} to an archive ${t} can load`,
      phase: 'save',
    });
  }
  const source = direct ? image : archive;
  const why = `load ${image} into the ${t} cluster ${cluster}`;
  if (t === 'kind') {
    const sub = direct ? ['load', 'docker-image'] : ['load', 'image-archive'];
    cmds.push({ cmd: 'kind', args: [...sub, source, '--name', cluster], why, phase: 'load' });
  } else if (t === 'minikube') {
    const profile = cluster && cluster !== 'minikube' ? ['-p', cluster] : [];
    cmds.push({ cmd: 'minikube', args: ['image', 'load', source, ...profile], why, phase: 'load' });
  } else {
    cmds.push({ cmd: 'k3d', args: ['image', 'import', source, '-c', cluster], why, phase: 'load' });
  }
  return cmds;
}
