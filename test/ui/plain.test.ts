import { describe, expect, it } from 'vitest';
import { STEP_IDS } from '../../src/steps/index.js';
import type { StepEvent } from '../../src/steps/types.js';
import { createPlainRenderer } from '../../src/ui/plain.js';
import { planText } from '../../src/ui/planText.js';

function capture(env: Record<string, string | undefined> = {}, isTTY = false) {
  let text = '';
  let clock = 0;
  const stream = { isTTY, write: (s: string) => (text += s) };
  const emit = createPlainRenderer(stream, { env, now: () => clock });
  return {
    emit,
    lines: () => text.split('\n').filter(Boolean),
    raw: () => text,
    advance: (ms: number) => (clock += ms),
  };
}

const runStart: StepEvent = {
  type: 'run-start',
  steps: STEP_IDS.map((id) => ({ id, title: id, status: id === 'preflight' ? 'done' : 'pending' })),
  target: 'kind-istio',
};

describe('plain renderer', () => {
  it('writes one plain line per event with the [n/9] position', () => {
    const c = capture();
    c.emit(runStart);
    c.emit({ type: 'step-start', id: 'deploy-versions', at: 0 });
    c.emit({ type: 'step-log', id: 'deploy-versions', line: 'created Deployment/default/flask-v1' });
    c.emit({ type: 'step-end', id: 'deploy-versions', status: 'done', durationMs: 1234 });
    c.emit({
      type: 'step-end',
      id: 'build-image',
      status: 'skipped',
      durationMs: 0,
      summary: 'build.enabled is false',
    });
    c.emit({
      type: 'step-end',
      id: 'verify',
      status: 'failed',
      durationMs: 61_000,
      error: 'curl failed\nexit 7',
    });
    c.emit({ type: 'run-end', ok: false, summary: ['curl -H "Host: a" http://1.2.3.4/'] });
    expect(c.lines()).toEqual([
      'istio-ingress-wizard: 9 steps against kind-istio',
      '[1/9] preflight done (earlier run)',
      '[3/9] deploy-versions ... running',
      '[3/9] deploy-versions: created Deployment/default/flask-v1',
      '[3/9] deploy-versions done (1.2s)',
      '[2/9] build-image skipped: build.enabled is false',
      '[9/9] verify failed (1m 01s)',
      '[9/9] verify: error: curl failed',
      '[9/9] verify: error: exit 7',
      'stopped: a step failed',
      '  curl -H "Host: a" http://1.2.3.4/',
    ]);
  });

  it('throttles progress to one line per 5 s per step', () => {
    const c = capture();
    c.emit(runStart);
    const progress = (id: 'deploy-versions' | 'verify', s: number): StepEvent => ({
      type: 'step-progress',
      id,
      progress: { label: 'waiting for rollout', elapsedMs: s * 1000, timeoutMs: 120_000 },
    });
    for (let s = 0; s <= 12; s++) {
      c.emit(progress('deploy-versions', s));
      if (s === 1) c.emit(progress('verify', s));
      c.advance(1000);
    }
    const lines = c.lines().filter((l) => l.includes('waiting'));
    expect(lines).toEqual([
      '[3/9] deploy-versions: waiting for rollout: 0s / 2m 00s, 2m 00s left',
      '[9/9] verify: waiting for rollout: 1s / 2m 00s, 1m 59s left',
      '[3/9] deploy-versions: waiting for rollout: 5s / 2m 00s, 1m 55s left',
      '[3/9] deploy-versions: waiting for rollout: 10s / 2m 00s, 1m 50s left',
    ]);
  });

  it('has no escape sequences unless FORCE_COLOR, even on a TTY; NO_COLOR wins', () => {
    const events: StepEvent[] = [
      runStart,
      { type: 'step-start', id: 'verify', at: 0 },
      { type: 'step-log', id: 'verify', line: '\u001b[31mred from a tool\u001b[0m' },
      { type: 'step-end', id: 'verify', status: 'done', durationMs: 5 },
    ];
    const plain = capture({}, true);
    for (const e of events) plain.emit(e);
    expect(plain.raw()).not.toContain('\u001b');
    expect(plain.raw()).toContain('[9/9] verify: red from a tool');

    const forced = capture({ FORCE_COLOR: '1' });
    for (const e of events) forced.emit(e);
    expect(forced.raw()).toContain('\u001b[32mdone\u001b[39m');

    const both = capture({ FORCE_COLOR: '1', NO_COLOR: '1' });
    for (const e of events) both.emit(e);
    expect(both.raw()).not.toContain('\u001b');
  });

  it('summarises a plan in one line without manifest bodies', () => {
    const c = capture();
    c.emit(runStart);
    c.emit({
      type: 'step-plan',
      id: 'load-certs',
      plan: {
        manifests: [1, 2, 3, 4].map((n) => ({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: `s${n}`, namespace: 'istio-system' },
          data: { 'tls.key': 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t' },
        })),
      },
    });
    expect(c.lines()[2]).toBe(
      '[7/9] load-certs: plan: 4 manifests (Secret/istio-system/s1, Secret/istio-system/s2, Secret/istio-system/s3, +1 more)',
    );
    expect(c.raw()).not.toContain('LS0t');
  });

  it('keeps a command with a newline in an argument on one line (verify passes curl --write-out "\n…")', () => {
    const plan = {
      commands: [
        { cmd: 'curl', args: ['--write-out', '\n@@wizard-curl@@ %{http_code}\n', "it's", 'https://a/'] },
      ],
    };
    const c = capture();
    c.emit(runStart);
    c.emit({ type: 'step-start', id: 'verify', at: 0 });
    c.emit({ type: 'step-plan', id: 'verify', plan });
    expect(
      c
        .raw()
        .split('\n')
        .filter((l) => l.includes('plan:')),
    ).toEqual([
      "[9/9] verify: plan: curl --write-out $'\\n@@wizard-curl@@ %{http_code}\\n' 'it'\\''s' https://a/",
    ]);
    expect(planText(plan).lines).toEqual([
      "$ curl --write-out $'\\n@@wizard-curl@@ %{http_code}\\n' 'it'\\''s' https://a/",
    ]);
  });

  it('says "not in this run" for a step left out now (--to), not "earlier run"', () => {
    const c = capture();
    c.emit({
      type: 'run-start',
      steps: STEP_IDS.map((id, i) => ({
        id,
        title: id,
        status: i === 0 ? 'done' : i < 4 ? 'pending' : 'skipped',
      })),
    });
    expect(c.lines().slice(0, 3)).toEqual([
      'istio-ingress-wizard: 9 steps',
      '[1/9] preflight done (earlier run)',
      '[5/9] add-hosts skipped (not in this run)',
    ]);
    expect(c.raw()).not.toMatch(/skipped \(earlier run\)/);
  });
});
