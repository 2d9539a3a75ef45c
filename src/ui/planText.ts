// The plan as text lines, cut to fit: shared by the Ink PlanView and the plain prompt fallback, so both show
// the same thing. Manifests go through redactSecrets first — a plan view must never show a private key.
import { redactSecrets } from '../manifests/redact.js';
import { toYamlStream } from '../manifests/yaml.js';
import type { StepPlan } from '../steps/types.js';
import { commandLine, truncate, wrapText } from './format.js';

export interface PlanTextOptions {
  /** Terminal columns; long lines are cut with an ellipsis. */
  width?: number;
  /** At most this many lines; the rest is counted, not shown. */
  maxLines?: number;
}

export interface PlanText {
  lines: string[];
  /** Lines left out to fit maxLines (0 when everything is shown). */
  hidden: number;
}

export function planText(plan: StepPlan, opts: PlanTextOptions = {}): PlanText {
  const width = Math.max(20, opts.width ?? 80);
  const maxLines = Math.max(3, opts.maxLines ?? 30);
  // Notes and commands are what a person acts on: wrapped whole (a command with ` \` breaks, so it still pastes).
  // Only the YAML below is cut to the width; `wizard --dry-run` prints it whole.
  const wrapped: string[] = [];
  // First, so it is never among the lines cut to fit.
  if (plan.blocked) {
    wrapped.push(...wrapText(`WILL FAIL: ${plan.blocked.reason}`, width));
    wrapped.push(...wrapText(`  fix: ${plan.blocked.fix}`, width));
  }
  for (const note of plan.notes ?? []) wrapped.push(...wrapText(`- ${note}`, width));
  for (const c of plan.commands ?? []) {
    wrapped.push(...wrapText(`$ ${commandLine(c.cmd, c.args)}`, width, { shell: true }));
    if (c.why) wrapped.push(...wrapText(`  # ${c.why}`, width));
  }
  const yamlLines: string[] = [];
  const manifests = plan.manifests ?? [];
  if (manifests.length) {
    const yaml = toYamlStream(redactSecrets(manifests)).replace(/\n$/, '');
    yamlLines.push(...yaml.split('\n'));
  }
  if (wrapped.length + yamlLines.length === 0) wrapped.push('(nothing to do)');
  const cut = [...wrapped, ...yamlLines.map((l) => truncate(l.replace(/\t/g, '  '), width))];
  if (cut.length <= maxLines) return { lines: cut, hidden: 0 };
  // Keep room for the line that says how much is hidden.
  const shown = cut.slice(0, maxLines - 1);
  const hidden = cut.length - shown.length;
  shown.push(
    truncate(
      `… ${hidden} more line${hidden === 1 ? '' : 's'} not shown (wizard --dry-run prints them all)`,
      width,
    ),
  );
  return { lines: shown, hidden };
}
