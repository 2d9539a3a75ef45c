// A wait with a deadline (rollout, gateway address, verify retries): label, elapsed / timeout, time left, and a
// bar when the timeout is known. The words carry the information; the bar is decoration.
import { Box, Text } from 'ink';
import type { ProgressInfo } from '../../steps/types.js';
import { formatSeconds, truncate } from '../format.js';
import { Spinner } from './Spinner.js';
import { Dim, Tint } from './theme.js';

const BAR = 20;

export function WaitProgress({ progress, width = 80 }: { progress: ProgressInfo; width?: number }) {
  const { label, elapsedMs, timeoutMs } = progress;
  let detail = formatSeconds(elapsedMs);
  let bar = '';
  if (timeoutMs !== undefined && timeoutMs > 0) {
    const left = Math.max(0, timeoutMs - Math.round(elapsedMs / 1000) * 1000);
    detail = `${formatSeconds(elapsedMs)} / ${formatSeconds(timeoutMs)}, ${formatSeconds(left)} left`;
    const filled = Math.min(BAR, Math.round((elapsedMs / timeoutMs) * BAR));
    bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] `;
  }
  const room = width - 4 - bar.length - detail.length - 2;
  return (
    <Box marginLeft={2}>
      <Text wrap="truncate-end">
        <Tint color="cyan">
          <Spinner />
        </Tint>{' '}
        {truncate(label, Math.max(8, room))}: <Dim>{bar}</Dim>
        {detail}
      </Text>
    </Box>
  );
}
