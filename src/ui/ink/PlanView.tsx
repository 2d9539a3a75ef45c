// What a step is about to do, shown before the confirm prompt: redacted manifests or commands, cut to the width
// and to a number of lines, with a count of what is hidden (planText does the work; this only lays it out).
import { Box, Text } from 'ink';
import type { StepId, StepPlan } from '../../steps/types.js';
import { planText } from '../planText.js';
import { Dim, Tint } from './theme.js';

export function PlanView({
  id,
  plan,
  width = 80,
  maxLines = 30,
}: {
  id: StepId;
  plan: StepPlan;
  width?: number;
  maxLines?: number;
}) {
  const { lines, hidden } = planText(plan, { width: width - 2, maxLines });
  const shown = hidden ? lines.slice(0, -1) : lines;
  // planText puts a plan that will fail first: its "WILL FAIL" and "fix:" lines.
  const firstOther = lines.findIndex((l) => !/^(WILL FAIL: | {2})/.test(l));
  const blockedLines = !plan.blocked ? 0 : firstOther < 0 ? lines.length : firstOther;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Tint bold color="cyan">{`Plan for ${id}:`}</Tint>
      <Box flexDirection="column" marginLeft={2}>
        {shown.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: YAML lines are positional
          <Text key={i} wrap="truncate-end" color={plan.blocked && i < blockedLines ? 'red' : undefined}>
            {line}
          </Text>
        ))}
        {hidden ? <Dim>{lines[lines.length - 1]}</Dim> : null}
      </Box>
    </Box>
  );
}
