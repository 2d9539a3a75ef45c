// The running step's last few output lines, indented and cut to the width (long tool output must not wrap).
import { Box, Text } from 'ink';
import { truncate } from '../format.js';
import { Dim } from './theme.js';

export function LiveOutput({
  lines,
  max = 6,
  width = 80,
}: {
  lines: readonly string[];
  max?: number;
  width?: number;
}) {
  if (lines.length === 0) return null;
  const shown = lines.slice(-max);
  const hidden = lines.length - shown.length;
  return (
    <Box flexDirection="column" marginLeft={2}>
      {hidden > 0 ? <Dim>{`… ${hidden} earlier line${hidden === 1 ? '' : 's'}`}</Dim> : null}
      {shown.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional; identical lines repeat
        <Text key={i} wrap="truncate-end">
          <Dim>{truncate(line.replace(/\t/g, '  '), width - 2)}</Dim>
        </Text>
      ))}
    </Box>
  );
}
