// Starts the node and waits for a signal: cluster.test.ts sends SIGTERM to this process to prove the signal
// handler tears the node down. Bundled with esbuild at test time (plain node cannot load TypeScript) into this
// directory, so image.ts still finds static/; the binaries come in WIZARD_NODE_BINARIES (JSON).
import { type NodeBinaries, startCluster } from '../cluster.js';

const binaries = JSON.parse(process.env.WIZARD_NODE_BINARIES ?? '') as NodeBinaries;
const c = await startCluster({ binaries });
process.stdout.write(`READY ${JSON.stringify({ dir: c.dir, pids: c.pids() })}\n`);
setInterval(() => undefined, 1 << 30);
