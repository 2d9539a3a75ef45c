// verify: live curl checks against the ingress gateway — each host answers with its version (or its weighted
// split), over the right scheme only, with a certificate the generated CA trusts. Logic in src/verify/.
import type { WizardConfig } from '../config/types.js';
import { WizardError } from '../errors.js';
import { resolvePorts, resolveTarget, type VerifyTarget } from '../verify/address.js';
import { withClusterCauses } from '../verify/causes.js';
import { plannedVerification, runVerification } from '../verify/run.js';
import type { VerifyReport } from '../verify/types.js';
import { CERTS_FROM_GENERATE_CERTS } from './needs.js';
import type { Step, StepContext, StepOutputs, StepPlan } from './types.js';

type Ctx = Pick<StepContext, 'config' | 'io' | 'flags' | 'outputs' | 'log' | 'progress' | 'signal'>;

function hasHttps(config: WizardConfig): boolean {
  return config.hosts.some((h) => h.protocol === 'HTTPS');
}

/** The failure message: one block per failed check, with what it means and where to look. */
export function failureMessage(report: VerifyReport): string {
  const lines = [
    `${report.failed} of ${report.checks.length} ingress checks failed against ${report.address}:`,
  ];
  const saidNext = new Set<string>();
  for (const c of report.checks.filter((x) => !x.ok)) {
    lines.push(`  ✗ ${c.title} (${c.url}, ${c.attempts} attempt${c.attempts === 1 ? '' : 's'})`);
    if (c.diagnosis) lines.push(`    ${c.diagnosis}`);
    // Hosts that fail the same way share one `next:` command: said once, under the first of them.
    if (c.next && !saidNext.has(c.next)) lines.push(`    next: ${c.next}`);
    if (c.next) saidNext.add(c.next);
  }
  return lines.join('\n');
}

export const verifyStep: Step<'verify', keyof Ctx> = {
  id: 'verify',
  title: 'Verify routing with curl',
  effect: 'external',
  // The generated CA is what HTTPS answers are checked against.
  needs: [CERTS_FROM_GENERATE_CERTS],
  answers: ['verify.address', 'verify.httpPort', 'verify.httpsPort'],

  inputs: ({ config, outputs, flags }) => ({
    hosts: config.hosts,
    httpsRedirect: config.gateway.httpsRedirect,
    verify: config.verify,
    target: { address: flags.address, httpPort: flags.httpPort, httpsPort: flags.httpsPort },
    preflight: outputs.preflight
      ? {
          gatewayAddress: outputs.preflight.gatewayAddress,
          httpPort: outputs.preflight.httpPort,
          httpsPort: outputs.preflight.httpsPort,
        }
      : undefined,
    ca: outputs['generate-certs']?.caCert,
  }),

  async plan(ctx): Promise<StepPlan> {
    const notes: string[] = [];
    const { config, flags, outputs } = ctx;
    let target: VerifyTarget;
    if (flags.address ?? config.verify.address ?? outputs.preflight?.gatewayAddress) {
      target = resolveTarget(config, flags, outputs.preflight);
    } else {
      notes.push(
        'no ingress address yet: pass --address (or set verify.address); shown here as <ingress-address>',
      );
      target = { address: '<ingress-address>', ...resolvePorts(config, flags, outputs.preflight) };
    }
    const certs = ctx.outputs['generate-certs'];
    if (hasHttps(ctx.config) && !certs)
      notes.push('no generated CA yet: HTTPS is checked against certs/ca.crt once generate-certs ran');
    notes.push(
      `retries each check until it passes or ${ctx.config.verify.timeoutSeconds}s pass; weighted hosts get ${ctx.config.verify.samples} requests`,
    );
    return { commands: plannedVerification(ctx.config, certs, target), notes };
  },

  async run(ctx): Promise<Partial<StepOutputs>> {
    const { config } = ctx;
    const target = resolveTarget(config, ctx.flags, ctx.outputs.preflight);
    const certs = ctx.outputs['generate-certs'];
    if (hasHttps(config) && !certs) {
      ctx.log('no generated CA in the state: HTTPS hosts are checked against the system trust store');
    }
    ctx.log(
      `checking ${config.hosts.length} host(s) at ${target.address} (HTTP ${target.httpPort}, HTTPS ${target.httpsPort})`,
    );
    const started = Date.now();
    const timeoutMs = config.verify.timeoutSeconds * 1000;
    const ticker = setInterval(
      () => ctx.progress({ label: 'verifying', elapsedMs: Date.now() - started, timeoutMs }),
      1000,
    );
    let report: VerifyReport;
    try {
      report = await runVerification({
        config,
        certs,
        ...target,
        exec: ctx.io.exec,
        log: ctx.log,
        signal: ctx.signal,
      });
    } finally {
      clearInterval(ticker);
    }
    if (!report.ok) {
      if (!ctx.io.cluster.target().offline) report = await withClusterCauses(report, config, ctx.io.cluster);
      throw new WizardError(
        failureMessage(report),
        1,
        'fix the first failure above, then run `wizard verify`',
      );
    }
    ctx.log(`all ${report.passed} checks passed in ${report.durationMs} ms`);
    return { verify: { passed: report.passed, failed: report.failed } };
  },
};
