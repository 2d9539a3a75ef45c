// The interactive hooks: Ink on a fake terminal, the real prompts on @inquirer/testing's screen. Checks that Ink
// is unmounted while a prompt is up and drawn again after, and that edit validates and asks again.

import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';
import { screen } from '@inquirer/testing/vitest';
import { describe, expect, it, vi } from 'vitest';
import type { WizardConfig } from '../../src/config/types.js';
import { UsageError } from '../../src/errors.js';
import { STEP_IDS } from '../../src/steps/index.js';
import { createInteractiveHooks } from '../../src/ui/interactive.js';
import { sampleConfig } from '../support/configs.js';

class FakeTty extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 40;
  chunks: string[] = [];
  write = (s: string) => {
    this.chunks.push(s);
    return true;
  };
  text = () => stripVTControlCharacters(this.chunks.join(''));
}

function setup(validate?: (c: WizardConfig) => WizardConfig) {
  const out = new FakeTty();
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    setRawMode: vi.fn(),
    ref: vi.fn(),
    unref: vi.fn(),
  });
  return {
    out,
    hooks: createInteractiveHooks({
      stderr: out as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      color: false,
      validate,
    }),
  };
}

const steps = STEP_IDS.map((id) => ({ id, title: id, status: 'pending' as const }));
const tick = () => new Promise((r) => setTimeout(r, 30));
/** Polls until cond holds (a busy machine can take a while to unmount Ink and start the prompt). */
async function until(cond: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; screen: ${screen.getScreen()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('createInteractiveHooks', () => {
  it('confirm: prints the plan, unmounts Ink for the prompt, draws the same steps again after', async () => {
    const { out, hooks: pending } = setup();
    const hooks = await pending;
    hooks.emit({ type: 'run-start', steps });
    hooks.emit({ type: 'step-start', id: 'preflight', at: Date.now() });
    hooks.emit({ type: 'step-end', id: 'preflight', status: 'done', durationMs: 100 });
    hooks.emit({ type: 'step-start', id: 'build-image', at: Date.now() });
    await tick();
    expect(hooks.session.mounted).toBe(true);

    const plan = { commands: [{ cmd: 'docker', args: ['build', '-t', 'python-flask-server:v2', 'flask'] }] };
    const choice = hooks.confirm?.('build-image', plan);
    await until(() => screen.getScreen().includes('Run build-image?'), 'the confirm prompt');
    expect(hooks.session.mounted).toBe(false);
    expect(out.text()).toContain('Plan for build-image:');
    expect(out.text()).toContain('$ docker build -t python-flask-server:v2 flask');
    expect(screen.getScreen()).toContain('Run build-image?');
    const drawnBefore = out.chunks.length;
    screen.keypress('enter');
    await expect(choice).resolves.toBe('go');
    await until(() => hooks.session.mounted, 'Ink to be drawn again');
    await tick();
    const redrawn = stripVTControlCharacters(out.chunks.slice(drawnBefore).join(''));
    expect(redrawn).toMatch(/\[1\/9\] preflight\s+done\s+0\.1s/);
    expect(redrawn).toMatch(/\[2\/9\] build-image\s+running/);

    hooks.emit({ type: 'step-end', id: 'build-image', status: 'done', durationMs: 2000 });
    await hooks.finish([
      'try: curl -H "Host: v1.example.com" http://172.18.0.5/',
      'certificates: /tmp/x/certs',
    ]);
    expect(hooks.session.mounted).toBe(false);
    expect(out.text()).toContain('Finished.');
    expect(out.text()).not.toContain('ingress routing is set up'); // the lines do not say so (e.g. a dry-run)
    expect(out.text()).toContain('Try it by hand:');
    expect(out.text()).toContain('  curl -H "Host: v1.example.com" http://172.18.0.5/');
    expect(out.text()).toContain('certificates: /tmp/x/certs');
    hooks.close(); // idempotent after finish
  });

  it('edit: asks the keys of that step, validates, and asks again with what the issues name', async () => {
    let calls = 0;
    const validate = (c: WizardConfig) => {
      calls++;
      const subsets = new Set(c.versions.map((v) => v.name));
      const bad = c.hosts.flatMap((h, i) =>
        h.routes
          .filter((r) => !subsets.has(r.subset))
          .map((r) => `hosts[${i}].routes: subset "${r.subset}" is not a version`),
      );
      if (bad.length) throw new UsageError('invalid config your answers', bad);
      return c;
    };
    const { out, hooks: pending } = setup(validate);
    const hooks = await pending;
    hooks.emit({ type: 'run-start', steps });
    hooks.emit({ type: 'step-start', id: 'deploy-versions', at: Date.now() });
    const config = sampleConfig();
    const edited = hooks.edit?.('deploy-versions', config);
    await until(() => screen.getScreen().includes('Namespace for the app'), 'the first edit question');
    expect(hooks.session.mounted).toBe(false);
    // deploy-versions asks: namespace, app, image, versions (ANSWER_KEYS order).
    expect(screen.getScreen()).toContain('Namespace for the app');
    screen.keypress('enter');
    await screen.next();
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('Container image');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('Versions to deploy');
    for (let i = 0; i < 10; i++) screen.keypress('backspace');
    screen.type('v1');
    screen.keypress('enter');
    await screen.next();
    // split.example.com still routes to v2: the issue names hosts, so the host loop comes up.
    expect(out.text()).toContain('subset "v2" is not a version');
    expect(screen.getScreen()).toContain('Namespace for the app');
    for (let i = 0; i < 3; i++) {
      screen.keypress('enter');
      await screen.next();
    }
    screen.keypress('enter'); // versions: v1
    await screen.next();
    expect(screen.getScreen()).toContain('Hosts:');
    for (let i = 0; i < 1; i++) screen.keypress('up'); // Done → Remove
    screen.keypress('enter');
    await screen.next();
    screen.keypress('down'); // split.example.com
    screen.keypress('enter');
    await screen.next();
    screen.keypress('enter'); // Done
    const result = await edited;
    expect(calls).toBe(2);
    expect(result?.versions).toEqual([{ name: 'v1', replicas: 1 }]);
    expect(result?.hosts.map((h) => h.name)).toEqual(['v1.example.com']);
    await until(() => hooks.session.mounted, 'Ink to be drawn again');
    hooks.close();
    expect(hooks.session.mounted).toBe(false);
  });
});
