// The nine steps, one row each: marker, position, id, status word, elapsed time, and a short note. Rows are cut
// to `width` so the list never wraps at 80 columns (a wrapped row would break Ink's redraw).
import { Box, Text } from 'ink';
import type { StepStatus } from '../../steps/types.js';
import { formatDuration, STATUS_COLOR, STATUS_WORD, truncate } from '../format.js';
import { Spinner } from './Spinner.js';
import type { StepRow } from './store.js';
import { Dim, Tint } from './theme.js';

const MARK: Record<Exclude<StepStatus, 'running'>, string> = {
  pending: '·',
  done: '✔',
  skipped: '-',
  failed: '✘',
};
const ID_WIDTH = 16;
const WORD_WIDTH = 8;
const TIME_WIDTH = 7;

export function elapsedOf(row: StepRow, now: number): string {
  if (row.status === 'running' && row.startedAt !== undefined) return formatDuration(now - row.startedAt);
  if ((row.status === 'done' || row.status === 'failed') && row.durationMs !== undefined && !row.earlier) {
    return formatDuration(row.durationMs);
  }
  // A skipped row may be skipped now (--skip, --from, --to), not by an earlier run: no time word for it.
  if (row.earlier && row.status === 'done') return 'earlier';
  return '';
}

export function StepList({
  steps,
  now,
  width = 80,
  only,
}: {
  steps: StepRow[];
  now: number;
  width?: number;
  /** Show just this step's row (a terminal too short for the list), numbered as in the full list. */
  only?: StepRow['id'];
}) {
  const total = steps.length;
  const posWidth = `[${total}/${total}]`.length;
  return (
    <Box flexDirection="column">
      {steps.map((row, i) => {
        if (only !== undefined && row.id !== only) return null;
        const pos = `[${i + 1}/${total}]`.padEnd(posWidth);
        const head = `${pos} ${row.id.padEnd(ID_WIDTH)}`;
        const word = STATUS_WORD[row.status].padEnd(WORD_WIDTH);
        const time = elapsedOf(row, now).padStart(TIME_WIDTH);
        const used = 2 + head.length + 1 + word.length + time.length;
        const noteText = row.error ?? row.summary ?? '';
        const room = width - used - 2;
        const note = noteText && room > 3 ? `  ${truncate(noteText.split('\n')[0] ?? '', room)}` : '';
        return (
          <Text key={row.id} wrap="truncate-end">
            {row.status === 'running' ? (
              <Spinner />
            ) : (
              <Tint color={STATUS_COLOR[row.status].name}>{MARK[row.status]}</Tint>
            )}{' '}
            {head}{' '}
            <Tint color={STATUS_COLOR[row.status].name} bold={row.status === 'running'}>
              {word}
            </Tint>
            {time}
            <Dim>{note}</Dim>
          </Text>
        );
      })}
    </Box>
  );
}
