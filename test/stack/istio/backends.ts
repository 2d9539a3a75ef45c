/**
 * A backend for the gateway without a kubelet (istio.test.ts, istiod + Envoy on a bare API server): the bundled
 * Flask app as its image runs it (the Dockerfile's CMD from a venv), bound to an address on the host end of the
 * gateway's veth pair (the only host addresses Envoy can reach). The wizard's own tests on istiod + Envoy run on the
 * real node instead (stack.ts), where the kubelet runs the Deployments.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import {
  ensureVenv,
  flaskDir,
  freePort,
  type RunningApp,
  readDockerfile,
  withLoopbackBind,
} from '../../support/flaskApp.js';

function version(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/version`, { timeout: 1000, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve(body.trim()));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** The Flask app (gunicorn, the image's CMD) on `host:port`, answering `/version` with `v`. */
export async function startFlaskOn(host: string, v: string, port?: number): Promise<RunningApp> {
  const venv = await ensureVenv();
  const facts = readDockerfile();
  const p = port ?? (await freePort(host));
  const argv = withLoopbackBind(facts.cmd, p).map((a) => a.replace(`127.0.0.1:${p}`, `${host}:${p}`));
  argv[0] = path.join(venv, 'bin', argv[0] ?? '');
  const [cmd, ...args] = argv as [string, ...string[]];
  // Own process group: gunicorn's workers go down with the master.
  const child = spawn(cmd, args, {
    cwd: flaskDir,
    env: { ...process.env, ...facts.env, PORT: String(p), VERSION: v },
    stdio: 'ignore',
    detached: true,
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://${host}:${p}`;
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
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    if ((await version(url).catch(() => '')) === v) return { url, port: p, argv, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`the Flask app ${v} did not answer on ${url}`);
}
