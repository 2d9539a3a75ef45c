// The wizard on a real pseudo-terminal (tmux) against the unit tier's real kube-apiserver + etcd (no kubelet: a
// Deployment's pods never start, so a rollout wait lasts until --wait-timeout — a real wait on a real API
// server, not a fake). What only a live run on a terminal shows: the redraw after resizes during that wait, the
// build-image plan that cannot work, the injection question, the hints a live run prints, "connecting to …".
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { skipReason, useControlPlane } from '../cluster/harness.js';
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
      `--config ${JSON.stringify(EXAMPLE)} --state-dir ${JSON.stringify(path.join(dir, 'state'))} --skip build-image,verify --wait-timeout 600`,
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
    expect(screen).toMatch(
      /interrupted: progress is saved; `wizard --state-dir \S+ --config \S+ --skip-build|interrupted: progress is saved; `wizard --state-dir \S+ --config \S+ --kubeconfig \S+` resumes/,
    );
  }, 300_000);
});
