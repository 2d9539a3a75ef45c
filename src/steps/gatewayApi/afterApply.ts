// What apply-gateway does once its objects are applied: in gateway-api mode, wait on the Gateway API status; in
// either mode, then remove the other mode's objects a switch replaces — only now, so the old routing keeps serving
// until the new one is programmed.
import type { IstioApiVersion } from '../../config/types.js';
import type { K8sObject } from '../../manifests/types.js';
import type { StepContext } from '../types.js';
import { planModeSwitch, removeOldMode } from './modeSwitch.js';
import { waitForGatewayApiStatus } from './wait.js';

type Ctx = Pick<StepContext, 'config' | 'io' | 'flags' | 'outputs' | 'log' | 'progress' | 'signal'>;

export async function afterApplyGateway(
  ctx: Ctx,
  objects: K8sObject[],
  apiVersion: IstioApiVersion,
): Promise<void> {
  const { config, flags, log } = ctx;
  let programmed = config.api === 'istio';
  if (config.api === 'gateway-api') {
    if (flags.mode !== 'live')
      log(
        `${flags.mode === 'server-dry-run' ? 'server' : 'client'} dry-run: nothing persisted, so there is no Gateway API status to wait for`,
      );
    else if (!flags.wait) log('not waiting for the Gateway API status (--no-wait)');
    else {
      const started = Date.now();
      await waitForGatewayApiStatus(ctx.io.cluster, objects, {
        timeoutMs: flags.waitTimeoutSeconds * 1000,
        clusterKind: ctx.outputs.preflight?.clusterKind,
        onProgress: ctx.progress,
        signal: ctx.signal,
      });
      const routes = objects.filter((o) => o.kind === 'HTTPRoute').length;
      log(
        `Gateway ${config.gateway.workloadNamespace}/${config.gateway.name}: Accepted and Programmed, every listener's refs resolved, ${routes} route(s) Accepted with resolved backends (${Date.now() - started} ms); the curl checks in verify are the proof that traffic flows`,
      );
      programmed = true;
    }
  }
  const plan = await planModeSwitch(ctx.io.cluster, config, apiVersion);
  if (plan.remove.length === 0) return;
  if (!programmed && flags.mode === 'live') {
    log(
      `${plan.remove.length} object(s) of the other api mode stay until the new ones are known to be programmed: run \`wizard --from apply-gateway\` without --no-wait to replace them`,
    );
    return;
  }
  const from = config.api === 'istio' ? 'gateway-api' : 'istio';
  await removeOldMode(
    ctx.io.cluster,
    plan,
    from,
    (line) => log(flags.mode === 'live' ? line : `${line} (dry run)`),
    {
      drainMs: flags.mode === 'live' ? undefined : 0,
      signal: ctx.signal,
    },
  );
}
