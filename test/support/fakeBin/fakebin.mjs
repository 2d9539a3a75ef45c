// A recording stand-in for container and cluster tools (docker, podman, nerdctl, kind, minikube, k3d), for the
// paths that cannot run on the test machines: loading into kind/minikube/k3d clusters and nerdctl. docker and podman
// build and push run for real in test/stack/engines/; here they only stand beside a cluster loader. Each call appends {tool, args} as a JSON line to $FAKEBIN_LOG, then behaves as told:
//   FAKEBIN_FAIL=docker:build,kind:load  → that tool+subcommand exits 1 with an error on stderr
//   FAKEBIN_RULES=/path/rules.json       → [{ match: "docker build", stdout: [..], stderr: [..], exit, delayMs,
//                                            ackDir }] first rule whose match is a prefix of "tool args…" wins.
//     ackDir: after printing line i, wait until the file <ackDir>/<i> exists (the caller received the line),
//     which proves the caller streams output while the process still runs; gives up after 5 s (exit 3).
// Without a rule: exit 0 with plausible output (`info` prints a version, `build` a short log, `save -o` writes).
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [tool, ...args] = process.argv.slice(2);
const line = [tool, ...args].join(' ');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function record(extra = {}) {
  if (process.env.FAKEBIN_LOG) {
    appendFileSync(process.env.FAKEBIN_LOG, `${JSON.stringify({ tool, args, ...extra })}\n`);
  }
}

async function main() {
  record();
  const sub = args.find((a) => !a.startsWith('-')) ?? '';
  const fails = (process.env.FAKEBIN_FAIL ?? '').split(',').filter(Boolean);
  if (fails.includes(`${tool}:${sub}`) || fails.includes(`${tool}:*`)) {
    process.stderr.write(`fake ${tool} ${sub}: failing as told (FAKEBIN_FAIL)\n`);
    return 1;
  }
  const rules = process.env.FAKEBIN_RULES ? JSON.parse(readFileSync(process.env.FAKEBIN_RULES, 'utf8')) : [];
  const rule = rules.find((r) => line === r.match || line.startsWith(`${r.match} `));
  if (rule) {
    const out = [
      ...(rule.stdout ?? []).map((l) => ['stdout', l]),
      ...(rule.stderr ?? []).map((l) => ['stderr', l]),
    ];
    for (let i = 0; i < out.length; i++) {
      const [stream, text] = out[i];
      process[stream].write(`${text}\n`);
      if (rule.ackDir) {
        const deadline = Date.now() + 5000;
        while (!existsSync(path.join(rule.ackDir, String(i)))) {
          if (Date.now() > deadline) {
            process.stderr.write(`fake ${tool}: line ${i} was not received while running\n`);
            return 3;
          }
          await sleep(10);
        }
      } else if (rule.delayMs) {
        await sleep(rule.delayMs);
      }
    }
    return rule.exit ?? 0;
  }
  if (sub === 'info') {
    process.stdout.write('27.0.1\n');
  } else if (sub === 'build') {
    const tag = args[args.indexOf('-t') + 1];
    process.stdout.write(`STEP 1/2: FROM base\nSTEP 2/2: COPY . .\nSuccessfully tagged ${tag}\n`);
  } else if (sub === 'save') {
    const o = args.indexOf('-o');
    if (o >= 0) writeFileSync(args[o + 1], `fake image archive of ${args.at(-1)}\n`);
  }
  return 0;
}

main().then(
  (code) => {
    record({ exit: code });
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`fakebin crashed: ${err?.stack ?? err}\n`);
    process.exitCode = 99;
  },
);
