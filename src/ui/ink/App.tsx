// The whole Ink tree: finished output printed once above (<Static>), the live area below (step list, the
// running step's output, a wait's progress). While suspended for a prompt the live area is empty, so unmounting
// leaves only the printed lines on screen and the prompt starts right under them.
import { Box, Static, Text, useStdout } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { formatDuration, STATUS_WORD, truncate, wrapText } from '../format.js';
import { LiveOutput } from './LiveOutput.js';
import { liveLayout } from './layout.js';
import { PlanView } from './PlanView.js';
import { StepList } from './StepList.js';
import { Summary } from './Summary.js';
import type { StaticItem, UiStore } from './store.js';
import { ColorContext, Dim, Tint } from './theme.js';
import { WaitProgress } from './WaitProgress.js';

export interface AppProps {
  store: UiStore;
  /** Items already printed by an earlier mount: <Static> must not print them again. */
  printedBefore: number;
  width: number;
  color: boolean;
  now?: () => number;
}

export function App({ store, printedBefore, width: initialWidth, color, now = Date.now }: AppProps) {
  const state = useSyncExternalStore(store.subscribe, store.get, store.get);
  const { columns: width, rows } = useTerminalSize(initialWidth);
  const running = state.steps.some((s) => s.status === 'running');
  const clock = useClock(running && !state.suspended, now);
  const items = state.printed.slice(printedBefore);
  const logs = state.current ? (state.logs[state.current] ?? []) : [];
  const layout = liveLayout({
    rows,
    steps: state.steps.length,
    hasProgress: !!state.progress,
    hasTarget: !!state.target,
    hasLogs: logs.length > 0,
  });
  const compactRow =
    state.steps.find((s) => s.id === state.current) ?? state.steps.find((s) => s.status === 'pending');
  return (
    <ColorContext.Provider value={color}>
      <Static items={items}>
        {(item) => <Printed key={item.key} item={item} width={width} now={clock} />}
      </Static>
      {state.suspended ? null : (
        <Box flexDirection="column">
          {layout.header ? <Dim>{truncate(`istio-ingress-wizard → ${state.target}`, width)}</Dim> : null}
          {layout.list === 'full' ? (
            <StepList steps={state.steps} now={clock} width={width} />
          ) : (
            <StepList steps={state.steps} only={compactRow?.id} now={clock} width={width} />
          )}
          {layout.logLines > 0 ? <LiveOutput lines={logs} max={layout.logLines} width={width} /> : null}
          {layout.progress && state.progress ? (
            <WaitProgress progress={state.progress.info} width={width} />
          ) : null}
        </Box>
      )}
    </ColorContext.Provider>
  );
}

/** The terminal's size, following resizes (rows cut to a stale width would wrap and break the redraw). */
function useTerminalSize(initialColumns: number): { columns: number; rows: number | undefined } {
  const { stdout } = useStdout();
  const read = () => ({ columns: Math.max(40, stdout.columns || initialColumns), rows: stdout.rows });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  });
  return size;
}

/** Re-render every 100 ms while something runs, so elapsed times move. */
function useClock(active: boolean, now: () => number): number {
  const [t, setT] = useState(now);
  useEffect(() => {
    setT(now());
    if (!active) return;
    const timer = setInterval(() => setT(now()), 100);
    return () => clearInterval(timer);
  }, [active, now]);
  return t;
}

const COLOR = { pending: 'gray', running: 'cyan', done: 'green', skipped: 'yellow', failed: 'red' } as const;

function Printed({ item, width, now }: { item: StaticItem; width: number; now: number }) {
  if (item.kind === 'plan') return <PlanView id={item.id} plan={item.plan} width={width} />;
  if (item.kind === 'final') {
    return (
      <Box flexDirection="column">
        <StepList steps={item.steps} now={now} width={width} />
        {item.summary ? <Summary data={item.summary} /> : null}
      </Box>
    );
  }
  if (item.kind === 'text') {
    return (
      <Box flexDirection="column">
        {item.lines.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: positional lines
          <Text key={i}>{l}</Text>
        ))}
      </Box>
    );
  }
  const took = item.status === 'skipped' ? '' : ` (${formatDuration(item.durationMs)})`;
  const summary = item.summary ? `: ${item.summary}` : '';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Tint color={COLOR[item.status]} bold>
          {STATUS_WORD[item.status]}
        </Tint>{' '}
        {truncate(`${item.id}${took}${summary}`, width - STATUS_WORD[item.status].length - 1)}
      </Text>
      <Box flexDirection="column" marginLeft={2}>
        {item.hiddenLines > 0 ? <Dim>{`… ${item.hiddenLines} earlier lines`}</Dim> : null}
        {item.lines
          .flatMap((l) => wrapText(l, width - 2))
          .map((l, i) => (
            // A step's output carries fixes and commands (the sidecar WARN's kubectl line): wrapped, never cut.
            // biome-ignore lint/suspicious/noArrayIndexKey: positional lines
            <Text key={i} wrap="truncate-end">
              <Dim>{l}</Dim>
            </Text>
          ))}
        {item.error ? <Tint color="red">{item.error}</Tint> : null}
      </Box>
    </Box>
  );
}
