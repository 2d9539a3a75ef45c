// The wizard on a real pseudo-terminal (tmux) against the unit tier's real kube-apiserver + etcd (no kubelet: a
// Deployment's pods never start, so a rollout wait lasts until --wait-timeout — a real wait on a real API
// server, not a fake). What only a live run on a terminal shows: the redraw after resizes during that wait, the
// build-image plan that cannot work, the injection question asked once, the hints a live run prints (with
// --namespace), and "connecting to …" before the first silent seconds.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { skipReason, useControlPlane } from '../support/apiserver.js';
import { REPO, WIZARD } from '../support/cli.js';
import { installCrds, wizardCrds } from '../support/crds.js';
import { createGatewayStandIn } from '../support/gatewayStandIn.js';
import { hasTmux, TmuxSession } from '../ui/tmux.js';

const EXAMPLE = path.join(REPO, 'assets', 'wizard.example.yaml');
const sessions: TmuxSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

describe.skipIf(skipReason)('a live run on a terminal, against a real API server', () => {
  const suite = useControlPlane();
  let kubeconfig: string;

  beforeAll(async () => {
    expect(hasTmux()).toBe(true);
    const { admin, cp } = suite();
    kubeconfig = cp.adminKubeconfig;
    await installCrds(admin, { filter: wizardCrds });
    await createGatewayStandIn(admin, { lbIp: '192.0.2.10' });
  }, 300_000);

  function wizard(flags: string, opts: { width?: number; height?: number } = {}): TmuxSession {
    const cmd = `cd ${JSON.stringify(REPO)} && env -u CI TERM=xterm-256color node ${JSON.stringify(WIZARD)} --kubeconfig ${JSON.stringify(kubeconfig)} ${flags}`;
    const s = new TmuxSession(cmd, { width: opts.width ?? 100, height: opts.height ?? 40 });
    sessions.push(s);
    return s;
  }

  const headers = (s: TmuxSession) =>
    s
      .screen()
      .split('\n')
      .filter((l) => l.startsWith('istio-ingress-wizard →')).length;
  /** Until every visible line fits `width` and the step list has been drawn for it. */
  const redrawnAt = async (s: TmuxSession, width: number, progress: RegExp) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const lines = s
        .visible()
        .split('\n')
        .map((l) => l.trimEnd());
      if (lines.every((l) => [...l].length <= width) && lines.some((l) => progress.test(l))) return;
      if (Date.now() > deadline)
        throw new Error(
          `no redraw at ${width} columns:\n${lines.map((l) => `${[...l].length}|${l}`).join('\n')}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('resizing 100 → 70 → 100 columns during a rollout wait redraws the live area once (one header)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wiz-resize-'));
    // The Deployments' pods never start (no kubelet): the rollout waits for the whole --wait-timeout.
    const s = wizard(
      `--config ${JSON.stringify(EXAMPLE)} --state-dir ${JSON.stringify(path.join(dir, 'state'))} --namespace default --skip build-image,verify --wait-timeout 600`,
    );
    await s.waitFor('? Run preflight?', 60_000);
    s.keys('Down', 'Enter'); // Go ahead with all remaining steps
    await s.waitFor('? Label namespace default', 60_000);
    s.keys('n', 'Enter');
    // At 100 columns the wait's line is as wide as the terminal: the line a narrower terminal rewraps.
    await s.waitFor(/rollout of deployment default\/flask-v\d: .*left$/m, 60_000);
    expect(headers(s)).toBe(1);
    s.resize(70, 40);
    await redrawnAt(s, 70, /rollout of dep.*left$/);
    // Drawn a few more times at the new width (the clock ticks every 100 ms): still one header.
    await s.waitFor(/running +[1-9]\d*\.\ds/, 10_000);
    expect(headers(s), s.screen()).toBe(1);
    s.resize(100, 40);
    await redrawnAt(s, 100, /rollout of deployment default\/flask-v\d: .*left$/);
    expect(headers(s), s.screen()).toBe(1);
    s.resize(70, 40);
    await redrawnAt(s, 70, /rollout of dep.*left$/);
    expect(headers(s), s.screen()).toBe(1);

    s.keys('C-c');
    expect(await s.exitCode(60_000)).toBe(130);
    const screen = s.screen();
    // The interrupt's note goes above the live area (written past Ink it shifted the frame: its top was left).
    expect(screen).toContain('interrupted: stopping after saving the state');
    // Pasted, the hint resumes the same run: state, config, namespace (a flag over the answers) and cluster.
    expect(screen).toMatch(
      /interrupted: progress is saved; `wizard --state-dir \S+ --config \S+ --namespace default --skip-build|interrupted: progress is saved; `wizard --state-dir \S+ --config \S+ --namespace default --kubeconfig \S+` resumes/,
    );
  }, 300_000);

  it('build-image that cannot work says WILL FAIL, offers the fix instead of Go ahead; Edit reaches image and build.load', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wiz-blocked-'));
    // The example's image (python-flask-server:v2) names no registry, and envtest-admin is no kind/minikube/k3d.
    const s = wizard(
      `--config ${JSON.stringify(EXAMPLE)} --state-dir ${JSON.stringify(path.join(dir, 'state'))} --namespace shop11 --no-wait`,
    );
    await s.waitFor('? Run preflight?', 60_000);
    s.keys('Enter'); // Go ahead: preflight only
    await s.waitFor('? build-image will fail as answered (see the plan):', 60_000);
    const screen = s.screen();
    expect(screen).toContain(
      'WILL FAIL: python-flask-server:v2 names no registry to push to, and the cluster is not a local',
    );
    expect(screen).toContain('fix: set build.load (kind, minikube, k3d, none) or the image registry');
    const menu = screen.slice(screen.lastIndexOf('? build-image will fail'));
    expect(menu).toContain('❯ Fix it: set build.load or the image registry');
    expect(menu).not.toMatch(/Go ahead/);
    s.keys('Enter'); // Fix it
    await s.waitFor('? Container image', 30_000);
    s.type('localhost:5000/flask:v2');
    s.keys('Enter');
    await s.waitFor('? Build the image and load it into the cluster?', 30_000);
    s.keys('Enter');
    await s.waitFor('? Where does the built image go?', 30_000);
    expect(s.screen()).toContain('none: build only; I ship it myself');
    s.keys('Enter'); // auto: push, now to localhost:5000
    // The plan again, now one that can work: the usual question.
    await s.waitFor('? Run build-image?', 30_000);
    const after = s.screen().slice(s.screen().lastIndexOf('Plan for build-image:'));
    expect(after).toContain('push localhost:5000/flask:v2');
    expect(after).not.toContain('WILL FAIL');
    s.keys('Up', 'Enter'); // Quit (the list wraps)
    expect(await s.exitCode(30_000)).toBe(0);
    expect(s.screen()).toMatch(
      /stopped at build-image; `wizard --state-dir \S+ --config \S+ --namespace shop11 --kubeconfig \S+ --from build-image` resumes/,
    );
  }, 300_000);

  it('says which context it connects to before the first silent seconds (--context named, and not)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wiz-connect-'));
    const state = JSON.stringify(path.join(dir, 'state'));
    const named = wizard(`--config ${JSON.stringify(EXAMPLE)} --state-dir ${state} --context envtest-admin`);
    await named.waitFor('? Run preflight?', 60_000);
    const lines = named.screen().split('\n');
    expect(lines[0]).toBe('connecting to context "envtest-admin"…');
    expect(lines[1]).toMatch(/^cluster: context "envtest-admin" at https:\/\/127\.0\.0\.1:\d+$/);
    named.keys('C-c');
    expect(await named.exitCode()).toBe(130);
    const current = wizard(`--config ${JSON.stringify(EXAMPLE)} --state-dir ${state}-2`);
    await current.waitFor('? Run preflight?', 60_000);
    expect(current.screen().split('\n')[0]).toBe('connecting to the current kube context…');
    current.keys('C-c');
    expect(await current.exitCode()).toBe(130);
  }, 300_000);

  it('the injection question is asked once: with the label there, a later run says unchanged and does not ask', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wiz-inject-'));
    const flags = `--config ${JSON.stringify(EXAMPLE)} --state-dir ${JSON.stringify(path.join(dir, 'state'))} --namespace shop9 --skip build-image,verify --no-wait`;
    const first = wizard(flags);
    await first.waitFor('? Run preflight?', 60_000);
    first.keys('Down', 'Enter'); // Go ahead with all remaining steps
    await first.waitFor('? Label namespace shop9 with istio-injection=enabled', 60_000);
    first.keys('y', 'Enter');
    expect(await first.exitCode(120_000)).toBe(0);
    expect(first.screen()).toContain('labelled   Namespace/shop9 istio-injection=enabled');
    const ns = await suite().admin.get({ apiVersion: 'v1', kind: 'Namespace', name: 'shop9' });
    expect(ns?.metadata.labels?.['istio-injection']).toBe('enabled');

    // Again from the start: the label is there, so nothing to ask and nothing labelled.
    const second = wizard(`${flags} --from preflight`);
    await second.waitFor('? Run preflight?', 60_000);
    second.keys('Down', 'Enter');
    expect(await second.exitCode(120_000)).toBe(0);
    const screen = second.screen();
    expect(screen).toContain('unchanged  Namespace/shop9 sidecar injection already enabled');
    expect(screen).not.toContain('? Label namespace');
    expect(screen).not.toContain('labelled   Namespace/shop9');
  }, 300_000);
});
