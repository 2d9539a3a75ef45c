// Plain line renderer: one line per event on stderr, for no TTY, CI or TERM=dumb. No cursor movement, colour only
// when FORCE_COLOR asks for it, and wait progress throttled so a 5-minute rollout wait is a few lines, not 300.
import { stripVTControlCharacters } from 'node:util';
import type { StepEvent, StepId, StepPlan, StepStatus } from '../steps/types.js';
import { colorFor } from './env.js';
import { commandLine, describeProgress, formatDuration, STATUS_COLOR, withoutShownLines } from './format.js';

export interface PlainRendererOptions {
  /** Minimum time between two progress lines of the same step. */
  progressIntervalMs?: number;
  now?: () => number;
  env?: Record<string, string | undefined>;
}

interface Writable {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** Returns an emit(ev) for RunnerHooks. */
export function createPlainRenderer(
  stream: Writable = process.stderr,
  opts: PlainRendererOptions = {},
): (ev: StepEvent) => void {
  const interval = opts.progressIntervalMs ?? 5000;
  const now = opts.now ?? Date.now;
  const color = colorFor(stream, opts.env ?? process.env, { ttyDefault: false });
  const paint = (status: StepStatus, word: string) => {
    const code = STATUS_COLOR[status].sgr;
    return color && code ? `\u001b[${code}m${word}\u001b[39m` : word;
  };

  let order: StepId[] = [];
  const lastProgress = new Map<StepId, number>();
  /** Each step's output lines so far: its error does not print them again. */
  const logged = new Map<StepId, string[]>();
  const line = (text: string) => stream.write(`${text}\n`);
  const clean = (text: string) => (color ? text : stripVTControlCharacters(text));
  const tag = (id: StepId) => {
    const index = order.indexOf(id);
    return index >= 0 ? `[${index + 1}/${order.length}] ${id}` : id;
  };

  return (ev) => {
    switch (ev.type) {
      case 'run-start': {
        order = ev.steps.map((s) => s.id);
        const target = ev.target ? ` against ${ev.target}` : '';
        line(`istio-ingress-wizard: ${order.length} steps${target}`);
        // Steps this run leaves out: done by an earlier run, or skipped (then, or now by --skip/--from/--to).
        for (const s of ev.steps) {
          if (s.status === 'done') line(`${tag(s.id)} ${paint('done', 'done')} (earlier run)`);
          if (s.status === 'skipped') line(`${tag(s.id)} ${paint('skipped', 'skipped')} (not in this run)`);
        }
        return;
      }
      case 'step-start':
        lastProgress.delete(ev.id);
        logged.set(ev.id, []);
        line(`${tag(ev.id)} ... ${paint('running', 'running')}`);
        return;
      case 'step-plan':
        line(`${tag(ev.id)}: plan: ${summarizePlan(ev.plan)}`);
        return;
      case 'step-log':
        for (const part of ev.line.split(/\r?\n/)) {
          if (part.trim() === '') continue;
          line(`${tag(ev.id)}: ${clean(part)}`);
          logged.get(ev.id)?.push(clean(part));
        }
        return;
      case 'step-progress': {
        const t = now();
        const last = lastProgress.get(ev.id);
        if (last !== undefined && t - last < interval) return;
        lastProgress.set(ev.id, t);
        line(`${tag(ev.id)}: ${describeProgress(ev.progress)}`);
        return;
      }
      case 'step-end': {
        const took = ev.status === 'skipped' ? '' : ` (${formatDuration(ev.durationMs)})`;
        const summary = ev.summary ? `: ${clean(ev.summary)}` : '';
        line(`${tag(ev.id)} ${paint(ev.status, ev.status)}${took}${summary}`);
        if (ev.error) {
          const error = withoutShownLines(clean(ev.error), logged.get(ev.id) ?? []);
          for (const part of error.split('\n')) line(`${tag(ev.id)}: error: ${part}`);
        }
        logged.delete(ev.id);
        return;
      }
      case 'run-end':
        line(ev.ok ? 'finished' : 'stopped: a step failed');
        for (const s of ev.summary) line(`  ${clean(s)}`);
        return;
    }
  };
}

/** "3 manifests (Deployment/default/flask-v1, …), 2 commands" — one line, never the manifests themselves. */
export function summarizePlan(plan: StepPlan): string {
  const parts: string[] = [];
  const manifests = plan.manifests ?? [];
  if (manifests.length) {
    const refs = manifests.map((m) =>
      m.metadata.namespace
        ? `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`
        : `${m.kind}/${m.metadata.name}`,
    );
    const shown = refs.slice(0, 3).join(', ');
    const more = refs.length > 3 ? `, +${refs.length - 3} more` : '';
    parts.push(`${manifests.length} manifest${manifests.length === 1 ? '' : 's'} (${shown}${more})`);
  }
  const commands = plan.commands ?? [];
  if (commands.length) {
    parts.push(commands.map((c) => commandLine(c.cmd, c.args)).join('; '));
  }
  for (const note of plan.notes ?? []) parts.push(note);
  return parts.length ? parts.join('; ') : 'nothing to do';
}
