// Issue 8, item 6 on the real stack: a crash-looping image. Why: a container that exits at once never becomes
// Ready, and a bare "did not become ready within 300s" after the whole --wait-timeout tells the user nothing. The
// real kubelet restarts it into CrashLoopBackOff; deploy-versions' rollout wait must stop there (not wait out the
// timeout), exit 1 and name the CrashLoopBackOff with the container's exit code and its last log lines (read from
// the real kubelet through the API server). The state must stay consistent for a resume: with the image fixed, the
// next `wizard --yes` resumes (at build-image, whose input the image is) and finishes.
import { describe, expect, it } from 'vitest';
import { httpHosts, stackConfig } from '../configs.js';
import { pushDerivedImage } from '../engines/derivedImage.js';
import { pushFlaskImage } from '../engines/engines.js';
import { stackSkipReason, useStack } from '../stack.js';
import { expectOk, wizardOnStack } from '../wizardOnStack.js';

const skip = await stackSkipReason('a crash-looping image (test/stack/breakages)');
const report = (line: string) => process.stderr.write(`[stack/breakages crash] ${line}\n`);

describe.skipIf(skip)('a crash-looping image', () => {
  const stack = useStack();

  it('the rollout wait stops at CrashLoopBackOff with the exit code and log lines; a fixed image resumes', async () => {
    const s = stack();
    const good = await pushFlaskImage(s.engines);
    const crash = await pushDerivedImage(
      s.engines,
      good,
      'crash',
      'echo "wizard-test: crashing on purpose" >&2; exit 3',
    );
    const w = wizardOnStack(s, { env: s.env() });
    await w.write(stackConfig({ image: crash, hosts: httpHosts }));
    // A long timeout: the wait must end because of the crash loop, not because the timeout ran out.
    const r = await w.run(['--yes', '--wait-timeout', '600s']);
    report(`the crash-looping run ended after ${r.ms} ms`);
    expect(r.code, r.stderr.slice(-3000)).toBe(1);
    report(
      `its log lines:\n${r.stderr
        .split('\n')
        .filter((l) => /last log lines| \| /.test(l))
        .join('\n')}`,
    );
    expect(r.stderr).toMatch(
      /deployment default\/flask-v[12] will not become ready: container flask of pod flask-v[12]-\S+ is in CrashLoopBackOff/,
    );
    expect(r.stderr).toMatch(/container flask: CrashLoopBackOff, \d+ restarts \(last exit code 3, Error\)/);
    expect(r.stderr).toContain('| wizard-test: crashing on purpose');
    expect(r.stderr).not.toContain('did not become ready within 600s');

    await w.write(stackConfig({ image: good, hosts: httpHosts }));
    const fixed = await w.run();
    expectOk(fixed, 'the run with the image fixed');
    // The image is an input of build-image too: the resume starts there (stale), not at preflight.
    expect(fixed.stderr).toContain('resuming at build-image');
    expect(fixed.stderr).toMatch(/\[1\/9\] preflight done \(earlier run\)/);
  }, 900_000);
});
