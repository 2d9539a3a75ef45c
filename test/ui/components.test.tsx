import { stripVTControlCharacters } from 'node:util';
import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { STEP_IDS } from '../../src/steps/index.js';
import type { StepStatus } from '../../src/steps/types.js';
import { formatDuration } from '../../src/ui/format.js';
import { LiveOutput } from '../../src/ui/ink/LiveOutput.js';
import { PlanView } from '../../src/ui/ink/PlanView.js';
import { StepList } from '../../src/ui/ink/StepList.js';
import { Summary } from '../../src/ui/ink/Summary.js';
import type { StepRow } from '../../src/ui/ink/store.js';
import { ColorContext } from '../../src/ui/ink/theme.js';
import { WaitProgress } from '../../src/ui/ink/WaitProgress.js';
import { fakePem } from '../support/pem.js';

const NOW = 1_000_000;
const visibleWidth = (line: string) => [...stripVTControlCharacters(line)].length;
const lines = (frame: string | undefined) => (frame ?? '').split('\n');

/** Replace one row (the fixture always has nine). */
function patch(list: StepRow[], i: number, p: Partial<StepRow>): void {
  const row = list[i];
  if (!row) throw new Error(`no row ${i}`);
  list[i] = { ...row, ...p };
}

function rows(): StepRow[] {
  const statuses: StepStatus[] = [
    'done',
    'skipped',
    'done',
    'failed',
    'running',
    'pending',
    'pending',
    'pending',
    'pending',
  ];
  return STEP_IDS.map((id, i) => ({ id, title: id, status: statuses[i] ?? 'pending' }));
}

describe('StepList', () => {
  it('shows every status as a word, with elapsed times', () => {
    const steps = rows();
    patch(steps, 0, { durationMs: 400 });
    patch(steps, 2, { durationMs: 65_000, summary: 'created Deployment/default/flask-v1' });
    patch(steps, 3, { durationMs: 1234, error: 'the API server said no' });
    patch(steps, 4, { startedAt: NOW - 12_300 });
    const { lastFrame } = render(<StepList steps={steps} now={NOW} width={80} />);
    const out = lines(lastFrame());
    expect(out).toHaveLength(9);
    expect(out[0]).toMatch(/✔ \[1\/9\] preflight\s+done\s+0\.4s$/);
    expect(out[1]).toMatch(/- \[2\/9\] build-image\s+skipped\s*$/);
    expect(out[2]).toMatch(
      /\[3\/9\] deploy-versions\s+done\s+1m 05s {2}created Deployment\/default\/flask-v1$/,
    );
    expect(out[3]).toMatch(/✘ \[4\/9\] define-subsets\s+failed\s+1\.2s {2}the API server said no$/);
    expect(out[4]).toMatch(/\[5\/9\] add-hosts\s+running\s+12\.3s$/);
    expect(out[5]).toMatch(/· \[6\/9\] generate-certs\s+pending\s*$/);
    for (const word of ['pending', 'running', 'done', 'skipped', 'failed'])
      expect(lastFrame()).toContain(word);
  });

  it('fits in 80 columns however long the notes are, and says "earlier" for resumed steps', () => {
    const steps = rows().map((r) => ({ ...r, summary: `note ${'y'.repeat(200)}`, durationMs: 3_725_000 }));
    patch(steps, 0, { earlier: true });
    const { lastFrame } = render(<StepList steps={steps} now={NOW} width={80} />);
    for (const line of lines(lastFrame())) expect(visibleWidth(line)).toBeLessThanOrEqual(80);
    expect(lastFrame()).toContain('…');
    expect(lines(lastFrame())[0]).toMatch(/done\s+earlier/);
    // Skipped rows at the start may be left out by this run's --skip/--from/--to: no "earlier" for them.
    patch(steps, 1, { status: 'skipped', earlier: true });
    const skipped = render(<StepList steps={steps} now={NOW} width={80} />);
    expect(lines(skipped.lastFrame())[1]).toMatch(/\[2\/9\] build-image\s+skipped\s+note/);
    expect(lines(lastFrame())[2]).toContain('1h 02m');
  });

  it('formats durations the same way everywhere', () => {
    expect([0, 950, 12_340, 59_999, 60_000, 125_000, 3_600_000].map(formatDuration)).toEqual([
      '0.0s',
      '0.9s',
      '12.3s',
      '59.9s',
      '1m 00s',
      '2m 05s',
      '1h 00m',
    ]);
  });

  it('colours only when colour is on (NO_COLOR turns it off), keeping the words', () => {
    // Ink colours through chalk, which sees no TTY under vitest: force a colour level for this test.
    const level = chalk.level;
    chalk.level = 1;
    try {
      const on = render(<StepList steps={rows()} now={NOW} width={80} />);
      expect(on.lastFrame()).toContain('\u001b[32m');
      const off = render(
        <ColorContext.Provider value={false}>
          <StepList steps={rows()} now={NOW} width={80} />
        </ColorContext.Provider>,
      );
      expect(off.lastFrame()).not.toContain('\u001b[3');
      expect(off.lastFrame()).toContain('failed');
    } finally {
      chalk.level = level;
    }
  });
});

describe('PlanView', () => {
  const key = fakePem('EC PRIVATE KEY', 'MHcCAQEEIBkg4LVWM9nuwNSk3yw1');
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'split-example-com-tls', namespace: 'istio-system' },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': Buffer.from('CERT').toString('base64'),
      'tls.key': Buffer.from(key).toString('base64'),
    },
  };

  it('shows manifests redacted: no private key, encoded or not', () => {
    const { lastFrame } = render(<PlanView id="load-certs" plan={{ manifests: [secret] }} width={80} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('Plan for load-certs:');
    expect(frame).toContain('kind: Secret');
    expect(frame).toContain('tls.key: "<redacted: private key');
    expect(frame).not.toContain('PRIVATE KEY');
    expect(frame).not.toContain(Buffer.from(key).toString('base64').slice(0, 16));
    for (const line of lines(frame)) expect(visibleWidth(line)).toBeLessThanOrEqual(80);
  });

  it('cuts long plans and counts what is hidden; shows commands', () => {
    const manifests = Array.from({ length: 10 }, (_, i) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `flask-v${i}`, namespace: 'default', labels: { app: 'flask', version: `v${i}` } },
      spec: { replicas: 1 },
    }));
    const { lastFrame } = render(
      <PlanView
        id="deploy-versions"
        plan={{
          manifests,
          commands: [{ cmd: 'kind', args: ['load', 'docker-image', 'python-flask-server:v2'] }],
        }}
        width={80}
        maxLines={12}
      />,
    );
    const out = lines(lastFrame()).filter(Boolean);
    expect(out[0]).toBe('Plan for deploy-versions:');
    expect(out[1]).toBe('  $ kind load docker-image python-flask-server:v2');
    expect(out).toHaveLength(1 + 12);
    expect(out.at(-1)).toMatch(/^ {2}… \d+ more lines not shown \(wizard --dry-run prints them all\)$/);
    const hidden = Number(/… (\d+) more/.exec(out.at(-1) ?? '')?.[1]);
    // 10 documents of 10 lines + 9 separators + 1 command line, minus the 11 shown.
    expect(hidden).toBe(10 * 10 + 9 + 1 - 11);
  });
});

describe('Summary, LiveOutput, WaitProgress', () => {
  it('Summary lists what was created, where the certificates are and the curl commands', () => {
    const { lastFrame } = render(
      <Summary
        data={{
          ok: true,
          created: ['Deployment/default/flask-v1', 'Gateway/default/flask-gateway'],
          certDir: '/home/me/.wizard/certs',
          certFiles: ['ca.crt', 'split.example.com.crt'],
          curlCommands: ['curl -sS -H "Host: v1.example.com" http://172.18.0.5:31080/'],
        }}
      />,
    );
    const frame = lastFrame() ?? '';
    expect(frame).toContain('Finished: ingress routing is set up.');
    expect(frame).toContain('Created or updated (2):');
    expect(frame).toContain('  Gateway/default/flask-gateway');
    expect(frame).toContain('Certificates in /home/me/.wizard/certs:');
    expect(frame).toContain('  split.example.com.crt');
    expect(frame).toContain('Try it by hand:');
    expect(frame).toContain('  curl -sS -H "Host: v1.example.com" http://172.18.0.5:31080/');
  });

  it('Summary of a failed run says so', () => {
    const { lastFrame } = render(<Summary data={{ ok: false }} />);
    expect(lastFrame()).toContain('Stopped: a step failed');
    expect(lastFrame()).not.toContain('Try it by hand');
  });

  it('LiveOutput shows the last lines and counts the rest', () => {
    const all = Array.from({ length: 9 }, (_, i) => `line ${i + 1}`);
    const { lastFrame } = render(<LiveOutput lines={all} max={3} width={80} />);
    expect(lines(lastFrame())).toEqual(['  … 6 earlier lines', '  line 7', '  line 8', '  line 9']);
  });

  it('WaitProgress shows elapsed / timeout and time left', () => {
    const { lastFrame } = render(
      <WaitProgress
        progress={{ label: 'waiting for rollout of flask-v2', elapsedMs: 30_000, timeoutMs: 120_000 }}
        width={100}
      />,
    );
    expect(lastFrame()).toContain(
      'waiting for rollout of flask-v2: [#####---------------] 30s / 2m 00s, 1m 30s left',
    );
    // At 80 columns the label gives way; the numbers stay.
    const narrow = render(
      <WaitProgress
        progress={{ label: 'waiting for rollout of flask-v2', elapsedMs: 30_000, timeoutMs: 120_000 }}
        width={80}
      />,
    );
    expect(visibleWidth(narrow.lastFrame() ?? '')).toBeLessThanOrEqual(80);
    expect(narrow.lastFrame()).toMatch(/waiting for rollout of fl…: \[#####-+\] 30s \/ 2m 00s, 1m 30s left$/);
    const open = render(
      <WaitProgress progress={{ label: 'waiting for the gateway address', elapsedMs: 4_000 }} />,
    );
    expect(open.lastFrame()).toMatch(/waiting for the gateway address: 4s$/);
  });
});
