// The cluster-writing steps share one shape: build their slice of the manifests (pure), show it as the plan, then
// server-side apply each object in order and report created / configured / unchanged.
import { InterruptedError } from '../errors.js';
import type { K8sObject } from '../manifests/types.js';
import type { Step, StepContext, StepId, StepOutputs } from './types.js';

type Needs =
  | 'config'
  | 'outputs'
  | 'flags'
  | 'io'
  | 'log'
  | 'progress'
  | 'signal'
  | 'configDir'
  | 'stateDir'
  | 'ask';

export interface ApplyStepSpec {
  id: StepId;
  title: string;
  needs?: StepId[];
  inputs: Step['inputs'];
  manifests(ctx: Pick<StepContext, Needs>): Promise<K8sObject[]> | K8sObject[];
  /** Runs after every object is applied (deploy-versions waits for the rollout here). */
  after?(ctx: Pick<StepContext, Needs>, objects: K8sObject[]): Promise<void>;
  /** Runs before the objects are applied (deploy-versions makes sure the namespace exists). */
  before?(ctx: Pick<StepContext, Needs>): Promise<void>;
}

export function applyStep(spec: ApplyStepSpec): Step<Needs> {
  return {
    id: spec.id,
    title: spec.title,
    effect: 'cluster',
    needs: spec.needs ?? [],
    inputs: spec.inputs,
    async plan(ctx) {
      return { manifests: await spec.manifests(ctx) };
    },
    async run(ctx): Promise<Partial<StepOutputs>> {
      const objects = await spec.manifests(ctx);
      await spec.before?.(ctx);
      const applied: string[] = [];
      for (const obj of objects) {
        // Interrupted halfway: the step is not done (the runner records it pending; apply is idempotent).
        if (ctx.signal.aborted) throw new InterruptedError();
        const res = await ctx.io.cluster.apply(obj, { forceConflicts: ctx.flags.forceConflicts });
        ctx.log(`${res.outcome.padEnd(10)} ${res.ref}`);
        for (const n of res.notes ?? []) ctx.log(`           ${n}`);
        applied.push(res.ref);
      }
      await spec.after?.(ctx, objects);
      return { applied: { ...(ctx.outputs.applied ?? {}), [spec.id]: applied } };
    },
  };
}
