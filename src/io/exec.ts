// The one place external commands are started: execa with an argument array, never a shell string.
// execa is imported on first use: a dry-run never starts a process and should not pay for loading it.
import type { Exec, ExecOptions, ExecResult } from './types.js';

export function createExec(): Exec {
  return {
    async run(cmd, args, opts: ExecOptions = {}): Promise<ExecResult> {
      const { execa } = await import('execa');
      const child = execa(cmd, [...args], {
        cwd: opts.cwd,
        env: opts.env,
        extendEnv: true,
        input: opts.input,
        timeout: opts.timeoutMs,
        cancelSignal: opts.signal,
        reject: false,
        stripFinalNewline: true,
        // Lines are streamed to onLine as they come; stdout/stderr are also collected whole.
        lines: false,
        buffer: true,
      });
      if (opts.onLine) {
        const onLine = opts.onLine;
        for (const [stream, name] of [
          [child.stdout, 'stdout'],
          [child.stderr, 'stderr'],
        ] as const) {
          let rest = '';
          stream?.on('data', (chunk: Buffer) => {
            const text = rest + chunk.toString('utf8');
            const lines = text.split('\n');
            rest = lines.pop() ?? '';
            for (const line of lines) onLine(line.replace(/\r$/, ''), name);
          });
          stream?.on('end', () => {
            if (rest) onLine(rest, name);
            rest = '';
          });
        }
      }
      const r = await child;
      const notFound = (r as { code?: string }).code === 'ENOENT';
      return {
        exitCode: typeof r.exitCode === 'number' ? r.exitCode : notFound ? 127 : 1,
        stdout: String(r.stdout ?? ''),
        stderr: String(r.stderr ?? ''),
        notFound: notFound || undefined,
        timedOut: r.timedOut || undefined,
      };
    },
    async which(cmd) {
      const { delimiter, join } = await import('node:path');
      const { access, constants } = await import('node:fs/promises');
      for (const dir of (process.env.PATH ?? '').split(delimiter)) {
        if (!dir) continue;
        const p = join(dir, cmd);
        try {
          await access(p, constants.X_OK);
          return p;
        } catch {}
      }
      return undefined;
    },
  };
}
