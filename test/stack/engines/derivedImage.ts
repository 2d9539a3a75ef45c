// An image made FROM the pushed flask image with another command, pushed to the stack's registry: how the stack
// tests get a container that starts slowly (a rollout wait long enough to interrupt) or crashes at once, without a
// registry to pull anything else from.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Engines } from './engines.js';
import { FLASK_REPOSITORY } from './engines.js';

/** The flask image's own command (flask/Dockerfile's CMD), for a derived image that still serves. */
export const FLASK_CMD = 'exec gunicorn --bind 0.0.0.0:8080 --workers 2 --access-logfile - server:app';

export async function pushDerivedImage(
  e: Pick<Engines, 'docker' | 'registry'>,
  base: string,
  tag: string,
  shell: string,
): Promise<string> {
  const image = e.registry.image(FLASK_REPOSITORY, tag);
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-derived-'));
  try {
    await writeFile(
      path.join(dir, 'Dockerfile'),
      `FROM ${base}\nCMD ${JSON.stringify(['sh', '-c', shell])}\n`,
    );
    await e.docker.docker(['build', '-t', image, dir]);
    await e.docker.docker(['push', image]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return image;
}
