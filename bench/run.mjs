// Runs every benchmark in turn and prints their numbers (`npm run bench`). Each script is also runnable alone.
// The API-server and verify benches need the test tools (`npm test` installs them once).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const benches = ['dryrun.mjs', 'startup.mjs', 'certs.mjs', 'validate.mjs', 'verify.mjs', 'apply.mjs'].filter(
  (b) => only.length === 0 || only.some((o) => b.startsWith(o)),
);
spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: `${here}..`, stdio: 'inherit' });
let failed = 0;
for (const b of benches) {
  console.log(`\n== ${b}`);
  const r = spawnSync(process.execPath, [`${here}${b}`], { cwd: `${here}..`, stdio: 'inherit' });
  if (r.status !== 0) failed += 1;
}
process.exitCode = failed ? 1 : 0;
