// Whether this machine can run the real engines, and if not, why: a test tier that cannot run reports itself as
// skipped with this reason, never as passed.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { baseImageTarball } from './baseImage.js';

function onPath(cmd: string): boolean {
  try {
    execFileSync('/bin/sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** undefined when everything is there; otherwise what is missing and how to get it. */
export function enginesUnavailable(tools: string[] = ['docker', 'dockerd', 'podman']): string | undefined {
  if (process.getuid?.() !== 0) return 'not root (dockerd, podman and debootstrap need root)';
  const need = [...tools, 'docker-registry', 'runc', 'unshare', 'ip', 'curl'];
  const missing = need.filter((t) => !onPath(t));
  if (missing.length) return `not on PATH: ${missing.join(', ')} (run test/stack/engines/setup.sh)`;
  if (!existsSync(baseImageTarball()) && !onPath('debootstrap'))
    return 'no base image tarball and no debootstrap to make one (run test/stack/engines/setup.sh)';
  return undefined;
}
