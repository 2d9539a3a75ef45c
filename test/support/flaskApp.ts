/**
 * Runs the bundled Flask app the way its image does, without a container engine: the Dockerfile's CMD (parsed
 * from flask/Dockerfile) in a venv holding the same pinned requirements (test/setup/python.sh), on a free
 * loopback port. Only the bind address is rewritten (the image binds 0.0.0.0:8080; tests must stay on loopback).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
/** WIZARD_REPO_ROOT: set by bench scripts that bundle this file elsewhere. */
export const repoRoot = process.env.WIZARD_REPO_ROOT ?? path.resolve(here, '../..');
export const flaskDir = path.join(repoRoot, 'flask');

export interface DockerfileFacts {
  /** Last USER instruction's argument, if any. */
  user?: string;
  /** Last CMD, exec (JSON array) form only. */
  cmd: string[];
  /** ENV key=value pairs, in order (later wins). */
  env: Record<string, string>;
  from: string[];
}

/** Joins continuation lines and drops comments, returning [instruction, rest] pairs. */
function instructions(text: string): [string, string][] {
  const out: [string, string][] = [];
  let buf = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!buf && (line.startsWith('#') || line === '')) continue;
    if (line.endsWith('\\')) {
      buf += `${line.slice(0, -1)} `;
      continue;
    }
    buf += line;
    const m = /^(\w+)\s+(.*)$/s.exec(buf);
    if (m?.[1] && m[2] !== undefined) out.push([m[1].toUpperCase(), m[2].trim()]);
    buf = '';
  }
  return out;
}

export function parseDockerfile(text: string): DockerfileFacts {
  const facts: DockerfileFacts = { cmd: [], env: {}, from: [] };
  for (const [ins, rest] of instructions(text)) {
    if (ins === 'USER') facts.user = rest;
    else if (ins === 'FROM') facts.from.push(rest);
    else if (ins === 'CMD') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(rest);
      } catch {
        parsed = undefined;
      }
      if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) {
        throw new Error(`Dockerfile CMD must be the exec (JSON array) form, got: ${rest}`);
      }
      facts.cmd = parsed;
    } else if (ins === 'ENV') {
      for (const m of rest.matchAll(/(\w+)=("[^"]*"|\S+)/g)) {
        if (m[1] && m[2] !== undefined) facts.env[m[1]] = m[2].replace(/^"|"$/g, '');
      }
    }
  }
  return facts;
}

export function readDockerfile(): DockerfileFacts {
  return parseDockerfile(readFileSync(path.join(flaskDir, 'Dockerfile'), 'utf8'));
}

let venvPromise: Promise<string> | undefined;
/** The venv path from test/setup/python.sh (created once per process). */
export function ensureVenv(): Promise<string> {
  venvPromise ??= execFileP('bash', [path.join(repoRoot, 'test/setup/python.sh')], {
    maxBuffer: 16 * 1024 * 1024,
  }).then((r) => r.stdout.trim().split('\n').pop() ?? '');
  return venvPromise;
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function httpGet(url: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

export interface RunningApp {
  url: string;
  port: number;
  /** The argv actually started (the Dockerfile's CMD with the bind address rewritten). */
  argv: string[];
  stop(): Promise<void>;
}

/** Replaces `--bind X`, `--bind=X` or `-b X` with the loopback address; adds one if the CMD has none. */
export function withLoopbackBind(cmd: string[], port: number): string[] {
  const out = [...cmd];
  const addr = `127.0.0.1:${port}`;
  for (let i = 0; i < out.length; i++) {
    const a = out[i] ?? '';
    if ((a === '--bind' || a === '-b') && i + 1 < out.length) {
      out[i + 1] = addr;
      return out;
    }
    if (a.startsWith('--bind=')) {
      out[i] = `--bind=${addr}`;
      return out;
    }
  }
  out.splice(1, 0, '--bind', addr);
  return out;
}

async function waitReady(url: string, child: ChildProcess, output: () => string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the Flask app exited before it was ready (code ${child.exitCode}):\n${output()}`);
    }
    try {
      const r = await httpGet(url, 1000);
      if (r.status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the Flask app did not answer on ${url} within ${timeoutMs} ms:\n${output()}`);
}

function startProcess(argv: string[], env: Record<string, string>, port: number): Promise<RunningApp> {
  const [cmd, ...args] = argv;
  if (!cmd) throw new Error('empty command');
  // Own process group: gunicorn's workers go down with the master.
  const child = spawn(cmd, args, {
    cwd: flaskDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (c: Buffer) => {
    output = (output + c.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      const timer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  return waitReady(`${url}/`, child, () => output).then(
    () => ({ url, port, argv, stop }),
    async (err) => {
      await stop();
      throw err;
    },
  );
}

/** Starts the app with the Dockerfile's CMD, from the venv's bin directory. */
export async function startFlaskApp(opts: { version: string; port?: number }): Promise<RunningApp> {
  const venv = await ensureVenv();
  const facts = readDockerfile();
  const port = opts.port ?? (await freePort());
  const argv = withLoopbackBind(facts.cmd, port);
  // The image's PATH finds gunicorn in site-packages' bin; here that is the venv's bin.
  argv[0] = path.join(venv, 'bin', argv[0] ?? '');
  return startProcess(argv, { ...facts.env, PORT: String(port), VERSION: opts.version }, port);
}

/** Starts `python server.py` (the documented local run) in the venv. */
export async function startFlaskDevServer(opts: { version: string }): Promise<RunningApp> {
  const venv = await ensureVenv();
  const port = await freePort();
  return startProcess(
    [path.join(venv, 'bin', 'python'), 'server.py'],
    { VERSION: opts.version, PORT: String(port), HOST: '127.0.0.1' },
    port,
  );
}
