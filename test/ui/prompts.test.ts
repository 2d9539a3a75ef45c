// Prompt flows driven through the real @inquirer prompts on @inquirer/testing's fake terminal.
import { screen } from '@inquirer/testing/vitest';
import { describe, expect, it } from 'vitest';
import { EXIT, InterruptedError, UsageError } from '../../src/errors.js';
import { newState, withStep } from '../../src/state/index.js';
import { canPrompt } from '../../src/ui/env.js';
import { askAnswers, FIRST_RUN_KEYS } from '../../src/ui/prompts/answers.js';
import { confirmStep } from '../../src/ui/prompts/confirmStep.js';
import { editHosts } from '../../src/ui/prompts/hosts.js';
import { askResume } from '../../src/ui/prompts/resume.js';
import { sampleConfig } from '../support/configs.js';
import { fakePem } from '../support/pem.js';

const tty = { io: { interactive: true } };

async function enter() {
  screen.keypress('enter');
  if (process.env.DEBUG_PROMPTS) console.log(`--- before next\n${screen.getScreen()}`);
  await screen.next();
  if (process.env.DEBUG_PROMPTS) console.log(`--- after next\n${screen.getScreen()}`);
}
async function answer(text: string) {
  screen.type(text);
  await enter();
}
async function move(key: 'up' | 'down', times: number) {
  for (let i = 0; i < times; i++) screen.keypress(key);
  await enter();
}
function clearInput(n = 40) {
  for (let i = 0; i < n; i++) screen.keypress('backspace');
}

// The host menu: Add, Edit, Remove, Done. With hosts in the list the cursor starts on Done.
const menu = { add: 3, edit: 2, remove: 1 };

describe('editHosts: the host loop', () => {
  it('adds two hosts (one weighted), rejects bad names inline, removes one, done', async () => {
    const result = editHosts([], ['v1', 'v2'], tty);
    expect(screen.getScreen()).toContain('(none yet: add at least one)');
    expect(screen.getScreen()).toContain('Done (add a host first)');

    await enter(); // Add a host (the default while the list is empty)
    await answer('Bad_Host');
    expect(screen.getScreen()).toContain('"Bad_Host" must be lower-case');
    clearInput();
    await answer('*.bad*.com');
    expect(screen.getScreen()).toContain('a wildcard is only allowed as the whole left-most label');
    clearInput();
    await answer('v1.example.com');
    expect(screen.getScreen()).toContain('Protocol for v1.example.com');
    await enter(); // HTTP
    expect(screen.getScreen()).toContain('split by weight between versions');
    await enter(); // all traffic to v1
    expect(screen.getScreen()).toContain('1. v1.example.com  HTTP  → v1');

    await move('up', menu.add);
    await answer('v1.example.com'); // a duplicate is refused too
    expect(screen.getScreen()).toContain('"v1.example.com" is already in the list');
    clearInput();
    await answer('split.example.com');
    await move('down', 1); // HTTPS
    expect(screen.getScreen()).toContain('TLS mode for split.example.com');
    await enter(); // SIMPLE
    await move('down', 2); // split by weight
    expect(screen.getScreen()).toContain('Weight for v1');
    await answer('80');
    expect(screen.getScreen()).toContain('Weight for v2');
    await answer('-5');
    expect(screen.getScreen()).toMatch(/-5|must be/);
    clearInput(5);
    await answer('20');
    const listed = screen.getScreen();
    expect(listed).toContain('1. v1.example.com  HTTP  → v1');
    expect(listed).toContain('2. split.example.com  HTTPS (SIMPLE)  → v1 80%, v2 20%');

    await move('up', menu.remove);
    expect(screen.getScreen()).toContain('Remove which host?');
    await enter(); // the first one
    expect(screen.getScreen()).not.toContain('v1.example.com  HTTP');
    screen.keypress('enter'); // Done: the last prompt, so no next screen to wait for

    await expect(result).resolves.toEqual([
      {
        name: 'split.example.com',
        protocol: 'HTTPS',
        tls: { mode: 'SIMPLE' },
        routes: [
          { subset: 'v1', weight: 80 },
          { subset: 'v2', weight: 20 },
        ],
      },
    ]);
  });

  it('edits a host keeping its defaults, and asks the weights again when they add up to 0', async () => {
    const start = sampleConfig().hosts;
    const result = editHosts(start, ['v1', 'v2'], tty);
    await move('up', menu.edit);
    await move('down', 1); // the second host: split.example.com
    expect(screen.getScreen()).toContain('Host name');
    await enter(); // keep the name
    await enter(); // keep HTTPS
    await move('down', 1); // MUTUAL
    await enter(); // keep "split by weight" (the current default)
    clearInput(5);
    await answer('0');
    clearInput(5);
    await answer('0');
    expect(screen.getScreen()).toContain('Weight for v1'); // asked again
    await enter(); // default 80 (the current weight)
    clearInput(5);
    await answer('1');
    screen.keypress('enter'); // Done
    const hosts = await result;
    expect(hosts[1]).toEqual({
      name: 'split.example.com',
      protocol: 'HTTPS',
      tls: { mode: 'MUTUAL' },
      routes: [
        { subset: 'v1', weight: 80 },
        { subset: 'v2', weight: 1 },
      ],
    });
    expect(hosts[0]).toEqual(start[0]);
  });

  it('Ctrl-C inside the loop is an InterruptedError (exit 130)', async () => {
    const result = editHosts([], ['v1'], tty);
    await enter();
    screen.keypress({ name: 'c', ctrl: true });
    const err = await result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as InterruptedError).exitCode).toBe(EXIT.interrupted);
  });
});

describe('askAnswers', () => {
  it('keeps defaults on Enter, asks a bad image again, and collects hosts', async () => {
    const result = askAnswers(
      {},
      { keys: FIRST_RUN_KEYS, defaults: { namespaces: ['default', 'shop'] }, ...tty },
    );
    expect(screen.getScreen()).toContain('Namespace for the app (existing: default, shop)');
    clearInput();
    await answer('shop');
    await enter(); // app: flask
    clearInput();
    await answer('Flask Server:v1');
    expect(screen.getScreen()).toContain('must not contain spaces');
    clearInput();
    await answer('registry.local:5000/flask:v3');
    expect(screen.getScreen()).toContain('Versions to deploy');
    clearInput();
    await answer('v1, V2');
    expect(screen.getScreen()).toContain('"V2" is not a valid DNS-1123 label');
    clearInput();
    await answer('v1, v2, v3');
    await move('down', 1); // ROUND_ROBIN
    expect(screen.getScreen()).toContain('Which API to write the routing in');
    expect(screen.getScreen()).toContain("Kubernetes Gateway + HTTPRoute: Istio's advice for new setups");
    await move('down', 1); // gateway-api
    expect(screen.getScreen()).toContain('Hosts:');
    await enter(); // add
    await answer('shop.example.com');
    await enter(); // HTTP
    await move('down', 2); // all traffic to v3
    screen.keypress('enter'); // done
    const out = await result;
    expect(out).toMatchObject({
      api: 'gateway-api',
      namespace: 'shop',
      app: 'flask',
      image: 'registry.local:5000/flask:v3',
      versions: [
        { name: 'v1', replicas: 1 },
        { name: 'v2', replicas: 1 },
        { name: 'v3', replicas: 1 },
      ],
      loadBalancer: 'ROUND_ROBIN',
      hosts: [{ name: 'shop.example.com', protocol: 'HTTP', routes: [{ subset: 'v3', weight: 100 }] }],
    });
  });

  it('offers discovered values as defaults (gateway namespace, selector, verify address)', async () => {
    const result = askAnswers(
      { gateway: {} },
      {
        keys: ['gateway.selector', 'gateway.workloadNamespace', 'verify.address'],
        defaults: {
          gatewaySelector: { app: 'istio-ingress' },
          gatewayNamespace: 'istio-ingress',
          address: '172.18.0.5',
        },
        ...tty,
      },
    );
    expect(screen.getScreen()).toContain('app=istio-ingress');
    await enter();
    expect(screen.getScreen()).toContain('istio-ingress');
    await enter();
    expect(screen.getScreen()).toContain('172.18.0.5');
    screen.keypress('enter');
    expect(await result).toMatchObject({
      gateway: { selector: { app: 'istio-ingress' }, workloadNamespace: 'istio-ingress' },
      verify: { address: '172.18.0.5' },
    });
  });

  it('with no TTY fails at once with a UsageError naming the keys and flags', async () => {
    const err = await askAnswers({}, { keys: ['hosts', 'verify.address'], io: { interactive: false } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    const e = err as UsageError;
    expect(e.exitCode).toBe(EXIT.usage);
    expect(e.message).toContain('no terminal to ask on');
    expect(e.message).toContain('hosts: set hosts in the config file (--config)');
    expect(e.message).toContain('verify.address: set verify.address in the config file, or --address');
  });

  it('detects no TTY by itself (vitest stdin is not a TTY), and CI counts as no TTY', async () => {
    expect(process.stdin.isTTY).not.toBe(true);
    await expect(editHosts([], ['v1'])).rejects.toThrow(/hosts: set hosts in the config file/);
    const resume = await askResume(newState(sampleConfig())).catch((e: UsageError) => e);
    expect(resume).toBeInstanceOf(UsageError);
    expect((resume as UsageError).hint).toBe('pass --from <step> to continue, or --reset to start over');
    const confirmErr = await confirmStep('verify', {}).catch((e: UsageError) => e);
    expect(confirmErr).toBeInstanceOf(UsageError);
    expect((confirmErr as UsageError).hint).toContain('--yes');
    expect(canPrompt({ isTTY: true }, { CI: 'true' })).toBe(false);
    expect(canPrompt({ isTTY: true }, { CI: 'false' })).toBe(true);
  });
});

describe('confirmStep', () => {
  it('defaults to go ahead', async () => {
    const result = confirmStep('deploy-versions', {}, tty);
    expect(screen.getScreen()).toContain('Run deploy-versions?');
    expect(screen.getScreen()).toContain('❯ Go ahead');
    screen.keypress('enter');
    await expect(result).resolves.toBe('go');
  });

  it('offers go ahead with all remaining steps / edit / skip / quit', async () => {
    for (const [downs, choice] of [
      [1, 'all'],
      [2, 'edit'],
      [3, 'skip'],
      [4, 'quit'],
    ] as const) {
      const result = confirmStep('apply-gateway', {}, tty);
      for (let i = 0; i < downs; i++) screen.keypress('down');
      screen.keypress('enter');
      await expect(result).resolves.toBe(choice);
    }
  });

  it('writes the plan first, redacted, when asked to', async () => {
    let written = '';
    const output = {
      write: (s: string) => {
        written += s;
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    const key = fakePem('PRIVATE KEY', 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg');
    const result = confirmStep(
      'load-certs',
      {
        manifests: [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'split-example-com-tls', namespace: 'istio-system' },
            type: 'kubernetes.io/tls',
            data: {
              'tls.crt': Buffer.from('cert').toString('base64'),
              'tls.key': Buffer.from(key).toString('base64'),
            },
          },
        ],
      },
      { io: { interactive: true, output }, showPlan: true, width: 78 },
    );
    screen.keypress('enter');
    await result;
    expect(written).toContain('Plan for load-certs:');
    expect(written).toContain('kind: Secret');
    expect(written).toContain('<redacted');
    expect(written).not.toContain(Buffer.from(key).toString('base64').slice(0, 20));
    for (const line of written.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('askResume', () => {
  const state = withStep(
    withStep(newState(sampleConfig()), 'preflight', { status: 'done', inputsHash: 'x' }),
    'build-image',
    { status: 'skipped', inputsHash: 'x' },
  );

  it('continues where the caller says the run would resume, by default', async () => {
    const result = askResume(state, { ...tty, next: 'deploy-versions' });
    expect(screen.getScreen()).toContain('Continue at deploy-versions');
    expect(screen.getScreen()).toContain('1 of 9 steps done');
    screen.keypress('enter');
    await expect(result).resolves.toEqual({ action: 'continue', from: 'deploy-versions' });
  });

  it('starts at a chosen step', async () => {
    const result = askResume(state, { ...tty, next: 'deploy-versions' });
    await move('down', 1);
    expect(screen.getScreen()).toContain('1. preflight        done');
    expect(screen.getScreen()).toContain('2. build-image      skipped');
    for (let i = 0; i < 4; i++) screen.keypress('down'); // from deploy-versions (the default) to load-certs
    screen.keypress('enter');
    await expect(result).resolves.toEqual({ action: 'from', from: 'load-certs' });
  });

  it('starts over', async () => {
    const result = askResume(state, { ...tty, next: 'deploy-versions' });
    screen.keypress('down');
    screen.keypress('down');
    screen.keypress('enter');
    await expect(result).resolves.toEqual({ action: 'restart' });
  });
});
