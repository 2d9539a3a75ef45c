// `wizard verify`: only the live curl checks, against the saved state or a config. `-o json` prints the report on
// stdout; the exit code is 0 only if every check passed.
import { UsageError } from '../../errors.js';
import { createExec } from '../../io/exec.js';
import { loadState } from '../../state/index.js';
import { resolveTarget } from '../../verify/address.js';
import { withClusterCauses } from '../../verify/causes.js';
import { runVerification } from '../../verify/run.js';
import type { VerifyReport } from '../../verify/types.js';
import { type CliArgs, runtimeFlags } from '../args.js';
import { note } from '../out.js';
import { oneShotAnswers } from './common.js';

export async function verifyCommand(args: CliArgs, env: { signal: AbortSignal }): Promise<number> {
  if (args.mode !== 'live') {
    throw new UsageError(
      '--dry-run: wizard verify has nothing to dry-run (it only sends curl requests to the ingress); the curl commands it runs are in the verify step of: wizard --dry-run',
    );
  }
  if (args.output === 'yaml') {
    throw new UsageError(
      '--output: "yaml" is not a report format of wizard verify (json: the report on stdout; text: the default)',
    );
  }
  const state = await loadState(args.stateDir);
  const { config } = await oneShotAnswers(args, state);
  const outputs = Object.assign({}, ...Object.values(state?.steps ?? {}).map((r) => r?.outputs ?? {}));
  const target = resolveTarget(config, runtimeFlags(args), outputs.preflight);
  note(
    `verifying ${config.hosts.length} host(s) against ${target.address} (http ${target.httpPort}, https ${target.httpsPort})`,
  );
  let report = await runVerification({
    config,
    certs: outputs['generate-certs'],
    ...target,
    exec: createExec(),
    log: note,
    signal: env.signal,
  });
  if (!report.ok) report = await causesFromCluster(report, config, args);
  if (args.output === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  note(`${report.passed} passed, ${report.failed} failed (${(report.durationMs / 1000).toFixed(1)} s)`);
  return report.ok ? 0 : 1;
}

/**
 * The failures' causes looked up in the cluster (which subset has no pods, whether the gateway may read its
 * certificate), printed under the checks. Without a reachable cluster the curl diagnosis above is all there is.
 */
async function causesFromCluster(
  report: VerifyReport,
  config: Parameters<typeof withClusterCauses>[1],
  args: CliArgs,
): Promise<VerifyReport> {
  let found: VerifyReport;
  try {
    const { connectCluster } = await import('../../io/kube/connect.js');
    const cluster = await connectCluster({ kubeconfig: args.kubeconfig, context: args.context });
    try {
      found = await withClusterCauses(report, config, cluster);
    } finally {
      cluster.close();
    }
  } catch {
    return report;
  }
  found.checks.forEach((c, i) => {
    if (c.diagnosis === report.checks[i]?.diagnosis) return;
    note(`✗ ${c.title}: ${c.diagnosis}${c.next ? `\n    next: ${c.next}` : ''}`);
  });
  return found;
}
