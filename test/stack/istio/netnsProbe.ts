// Run by netns.test.ts inside a private mount namespace (bundled with esbuild: a plain `node` cannot load .ts):
// makes two gateway namespaces, closes them, and prints what /run/netns looked like before, in between and after.
import { existsSync } from 'node:fs';
import { createGatewayNetns, isMountPoint, NETNS_DIR } from './netns.js';

const look = () => ({
  exists: existsSync(NETNS_DIR),
  mounted: existsSync(NETNS_DIR) && isMountPoint(NETNS_DIR),
});
const before = look();
const a = await createGatewayNetns('p');
const b = await createGatewayNetns('q');
const during = look();
await a.close();
const afterOne = look();
await b.close();
process.stdout.write(`${JSON.stringify({ before, during, afterOne, after: look() })}\n`);
