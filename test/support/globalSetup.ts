// The CLI tests run the real bundled binary (dist/wizard.js): build it once from the current sources first.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
