// The end of a run: what was created, where the certificates are, and the curl commands to try by hand. All
// data comes in as props (the runner/CLI knows it); lines longer than the width wrap rather than being cut,
// because a truncated curl command cannot be copied.
import { Box, Text } from 'ink';
import { Tint } from './theme.js';

export interface SummaryData {
  ok: boolean;
  /** First line; default says whether routing is set up (a dry-run should say what it did instead). */
  title?: string;
  /** `Kind/namespace/name` refs, or any short lines. */
  created?: string[];
  /** Directory with the generated certificates (keys stay there, 0600). */
  certDir?: string;
  certFiles?: string[];
  curlCommands?: string[];
  /** Anything else worth a line (e.g. the run-end summary). */
  notes?: string[];
}

export function Summary({ data }: { data: SummaryData }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Tint bold color={data.ok ? 'green' : 'red'}>
        {data.title ??
          (data.ok ? 'Finished: ingress routing is set up.' : 'Stopped: a step failed (see above).')}
      </Tint>
      <Section title={`Created or updated (${data.created?.length ?? 0}):`} lines={data.created} />
      {data.certDir ? (
        <Section
          title={`Certificates in ${data.certDir}:`}
          lines={data.certFiles?.length ? data.certFiles : undefined}
        />
      ) : null}
      <Section title="Try it by hand:" lines={data.curlCommands} />
      <Section title="" lines={data.notes} />
    </Box>
  );
}

function Section({ title, lines }: { title: string; lines?: string[] }) {
  if (!lines?.length && !title.startsWith('Certificates')) return null;
  return (
    <Box flexDirection="column" marginTop={title ? 1 : 0}>
      {title ? <Text bold>{title}</Text> : null}
      {(lines ?? []).map((line) => (
        <Box key={line} marginLeft={2}>
          <Text>{line}</Text>
        </Box>
      ))}
    </Box>
  );
}
