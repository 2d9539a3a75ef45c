// The cluster-writing steps share one shape: build their slice of the manifests (pure), show it as the plan, then
// server-side apply each object in order and report created / configured / unchanged. Whether an apply persists,
// is sent with dryRun=All or is only recorded is the Io's business (src/io/recording.ts), not the step's.
import type { AnswerKey } from '../config/answerKeys.js';
import { InterruptedError } from '../errors.js';
import type { K8sObject } from '../manifests/types.js';
import type { InputsContext, Need, Step, StepContext, StepOutputs } from './types.js';

/** What applying itself uses, on top of what a step's manifests need. */
type ApplyUses = 'io' | 'flags' | 'log' | 'signal';

export interface ApplyStepSpec<Id extends string, Uses extends keyof StepContext> {
  id: Id;
  title: string;
  needs?: readonly Need[];
  answers: readonly AnswerKey[];
  inputs(ctx: InputsContext): Record<string, unknown>;
  manifests(ctx: Pick<StepContext, Uses>): Promise<K8sObject[]> | K8sObject[];
  /** Runs before the objects are applied (deploy-versions makes sure the namespace exists). */
  before?(ctx: Pick<StepContext, Uses | ApplyUses>): Promise<void>;
  /** Runs after every object is applied (deploy-versions waits for the rollout here). */
  after?(ctx: Pick<StepContext, Uses | ApplyUses>, objects: K8sObject[]): Promise<void>;
}

/** An apply step over the context keys its manifests use, plus what applying uses. */
export type ApplyStep<Id extends string, Uses extends keyof StepContext> = Step<Id, Uses | ApplyUses>;

export function applyStep<Id extends string, Uses extends keyof StepContext>(
  spec: ApplyStepSpec<Id, Uses>,
): ApplyStep<Id, Uses> {
  return {
    id: spec.id,
    title: spec.title,
    effect: 'cluster',
    needs: spec.needs ?? [],
    answers: spec.answers,
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
      // The runner merges this step's list into `applied` beside the other steps' lists.
      return { applied: { [spec.id as string]: applied } };
    },
  };
}
