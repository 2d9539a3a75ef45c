// `wizard` / `wizard run`: resolve the answers and the state, pick the steps, connect (or not), run, print.

import type { WizardConfig } from '../../config/types.js';
import { UsageError, WizardError } from '../../errors.js';
import { analysisError, analyzeManifests, formatFinding } from '../../manifests/analyze.js';
import { REDACTED_ANNOTATION, redactSecrets, toYamlStream } from '../../manifests/index.js';
import type { K8sObject } from '../../manifests/types.js';
import { countsAsDone } from '../../runner/policy.js';
import { runSteps } from '../../runner/run.js';
import { checkDependencies, selectSteps } from '../../runner/selection.js';
import type { RunnerHooks } from '../../runner/types.js';
import {
  hashInputs,
  loadState,
  newState,
  resetState,
  saveState,
  type WizardState,
  withStep,
} from '../../state/index.js';
import { STEPS } from '../../steps/index.js';
import { plannedObjects } from '../../steps/preflight/planned.js';
import type { RuntimeFlags, StepId, StepOutputs } from '../../steps/types.js';
import { askBlocker } from '../../ui/env.js';
import { createPlainRenderer } from '../../ui/plain.js';
import { resolvePorts, resolveTarget } from '../../verify/address.js';
import { requestHostFor } from '../../verify/checks.js';
import { routeArgs } from '../../verify/curl.js';
import { type Answers, resolveAnswers } from '../answers.js';
import type { CliArgs } from '../args.js';
import { createIo } from '../io.js';
import { note } from '../out.js';

export interface RunEnv {
  signal: AbortSignal;
  interactive: boolean;
  /** Set by the interactive UI so the CLI's signal handler can restore the terminal. */
  onCleanup(fn: () => void): void;
}

export async function runCommand(args: CliArgs, env: RunEnv): Promise<number> {
  // Nobody can be asked "Run <step>?": changing a cluster then takes an explicit --yes (like teardown).
  if (!env.interactive && !args.yes && args.mode === 'live') {
    throw new UsageError(
      `cannot ask before each step changes the cluster: no interactive terminal (${askBlocker() ?? 'no terminal'})`,
      [],
      'pass --yes (with --config FILE for the answers) to go ahead everywhere, or --dry-run to only print the manifests',
    );
  }
  if (args.reset) await resetState(args.stateDir);
  let state = await loadState(args.stateDir);

  const answers: Answers = await resolveAnswers(args, state, env);
  let config = answers.config;
  const flags = runtimeFlags(args);

  // Saved outputs from earlier runs (e.g. the certificate paths) are reused when resuming.
  let outputs: StepOutputs = {};
  for (const rec of Object.values(state?.steps ?? {})) Object.assign(outputs, rec?.outputs ?? {});

  const status = (id: StepId) => {
    const rec = state?.steps[id];
    const step = STEPS.find((s) => s.id === id);
    const done = !!rec && rec.status === 'done' && countsAsDone(rec.mode, flags.mode);
    return {
      done,
      stale: done && !!step && rec.inputsHash !== currentHash(step),
      leftOut: rec?.status === 'skipped' || args.skip.includes(id),
    };
  };
  const currentHash = (step: (typeof STEPS)[number]) => {
    try {
      return hashInputs(step.inputs({ config, outputs, flags }));
    } catch {
      return undefined; // inputs that cannot be computed yet (e.g. apiVersion before preflight): not the same
    }
  };
  // Resume at the first step that is neither finished (in a mode that counts) nor skipped (then or now), or whose
  // inputs changed since.
  const resumeAt = () =>
    STEPS.find((s) => {
      const st = status(s.id);
      return !st.leftOut && (!st.done || st.stale);
    })?.id;

  // With a state to resume and nothing said on the command line, a person is asked where to go on; "continue"
  // offers the same step a run without a terminal would resume at.
  let chosen: StepId | undefined = args.from;
  if (state && env.interactive && !args.from) {
    const { askWhereToResume } = await import('../interactive.js');
    const done = STEPS.filter((s) => {
      const st = status(s.id);
      return st.done && !st.stale;
    }).length;
    const choice = await askWhereToResume(state, resumeAt(), done);
    if (choice.kind === 'from') chosen = choice.step;
    if (choice.kind === 'start-over') {
      state = undefined;
      outputs = {};
    }
  }
  const from = chosen ?? (state ? resumeAt() : undefined);
  if (state && !chosen)
    note(
      from ? `resuming at ${from} (state in ${args.stateDir})` : 'every step is done; running verify again',
    );
  const sel = selectSteps(STEPS, {
    from: from ?? (state ? 'verify' : undefined),
    to: args.to,
    skip: args.skip,
  });
  checkDependencies(sel, status);

  checkPlan(config);
  const io = await createIo(args, flags.mode);
  const target = io.cluster.target();
  note(
    target.offline
      ? 'cluster: none (client dry-run: nothing is sent anywhere)'
      : `cluster: context "${target.context}" at ${target.server}${flags.mode === 'server-dry-run' ? ' (server dry-run: nothing persists)' : ''}`,
  );

  const hooks: RunnerHooks & { finish?(lines: string[]): Promise<void>; close?(): void } = env.interactive
    ? await (await import('../interactive.js')).interactiveHooks(args, env)
    : { emit: createPlainRenderer(process.stderr) };

  let current: WizardState = state ?? newState(config);
  const durable = flags.mode !== 'client-dry-run';
  const store = {
    async record(id: StepId, rec: WizardState['steps'][StepId] & object, cfg: WizardConfig) {
      // A dry-run changed nothing in the cluster: what a live run did there (and found: preflight's outputs) stays.
      const keep = flags.mode !== 'live' && current.steps[id]?.mode === 'live';
      current = { ...current, answers: cfg, updatedAt: new Date().toISOString() };
      if (!keep) current = withStep(current, id, rec);
      await saveState(args.stateDir, current, { durable });
    },
  };
  await saveState(args.stateDir, { ...current, answers: config }, { durable });

  hooks.emit({
    type: 'run-start',
    steps: STEPS.map((s) => ({
      id: s.id,
      title: s.title,
      status: sel.run.includes(s) ? 'pending' : (state?.steps[s.id]?.status ?? 'skipped'),
    })),
    target: target.offline ? 'dry-run' : target.context,
  });

  try {
    const result = await runSteps({
      steps: sel.run,
      ctx: {
        config,
        configDir: answers.configDir,
        stateDir: args.stateDir,
        io,
        flags,
        outputs,
        signal: env.signal,
      },
      hooks,
      store,
      hashInputs,
      revalidate: answers.revalidate,
      replan: flags.mode === 'client-dry-run' ? sel.before : undefined,
    });
    config = result.config;
    const manifests = result.plans.flatMap((p) => (p.action === 'plan' ? (p.plan.manifests ?? []) : []));
    const summary = summaryLines(config, result.outputs, flags, args);
    hooks.emit({ type: 'run-end', ok: true, summary });
    await hooks.finish?.(summary);
    if (flags.mode === 'client-dry-run') printManifests(manifests, args);
    return 0;
  } finally {
    hooks.close?.();
  }
}

/** The cross-checks `istioctl analyze` would make, on the whole plan, before anything is written. */
function checkPlan(config: WizardConfig): void {
  const apiVersion = config.istio.apiVersion === 'auto' ? 'networking.istio.io/v1' : config.istio.apiVersion;
  const findings = analyzeManifests(plannedObjects(config, apiVersion), {
    gatewayWorkloadNamespace: config.gateway.workloadNamespace,
  });
  for (const f of findings) if (f.level === 'warning') note(`warning: ${formatFinding(f)}`);
  const err = analysisError(findings);
  if (err) throw err;
}

export function runtimeFlags(args: CliArgs): RuntimeFlags {
  return {
    mode: args.mode,
    yes: args.yes,
    includeSecrets: args.includeSecrets,
    forceConflicts: args.forceConflicts,
    // Nothing persists in a server dry-run, so there is no rollout to wait for.
    wait: args.wait && args.mode === 'live',
    waitTimeoutSeconds: args.waitTimeoutSeconds,
    address: args.address,
    httpPort: args.httpPort,
    httpsPort: args.httpsPort,
  };
}

function printManifests(objects: K8sObject[], args: CliArgs): void {
  const shown = args.includeSecrets ? objects : redactSecrets(objects);
  if (!args.includeSecrets && shown.some((o) => o.metadata.annotations?.[REDACTED_ANNOTATION])) {
    note(
      'private keys are redacted; add --include-secrets to print them (e.g. to pipe into kubectl apply -f -)',
    );
  }
  if (args.output === 'json') {
    process.stdout.write(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: shown }, null, 2)}\n`);
  } else {
    process.stdout.write(toYamlStream(shown));
  }
}

function summaryLines(
  config: WizardConfig,
  outputs: StepOutputs,
  flags: RuntimeFlags,
  args: CliArgs,
): string[] {
  const lines: string[] = [];
  const certs = outputs['generate-certs'];
  if (certs) lines.push(`certificates: ${certs.caCert.replace(/\/ca\.crt$/, '')} (CA: ${certs.caCert})`);
  const applied = Object.values(outputs.applied ?? {}).flat();
  if (applied.length) lines.push(`applied ${applied.length} objects`);
  // The same address, ports and request names verify uses: --resolve takes only an IP (bracketed if IPv6), a
  // DNS-named load balancer needs --connect-to, and a wildcard host is tried with a concrete name.
  const pf = outputs.preflight;
  const { httpPort, httpsPort } = resolvePorts(config, flags, pf);
  let address: string | undefined;
  try {
    address = resolveTarget(config, flags, pf).address;
  } catch {
    // No address known yet (a dry-run without --address): a placeholder to fill in.
  }
  for (const h of config.hosts) {
    const host = requestHostFor(h.name);
    const port = h.protocol === 'HTTPS' ? httpsPort : httpPort;
    const scheme = h.protocol === 'HTTPS' ? 'https' : 'http';
    const route = address
      ? routeArgs(host, port, address).join(' ')
      : `--resolve ${host}:${port}:<INGRESS_IP>`;
    const tls =
      h.protocol === 'HTTPS' && certs
        ? ` --cacert ${certs.caCert}${h.tls?.mode === 'MUTUAL' && certs.hosts[h.name]?.clientCert ? ` --cert ${certs.hosts[h.name]?.clientCert} --key ${certs.hosts[h.name]?.clientKey}` : ''}`
        : '';
    lines.push(`try: curl ${route}${tls} ${scheme}://${host}:${port}/version`);
  }
  if (args.mode === 'client-dry-run') lines.push('dry-run: manifests printed on stdout; nothing was applied');
  return lines;
}

export { WizardError };
