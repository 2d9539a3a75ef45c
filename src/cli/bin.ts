#!/usr/bin/env node
import { main } from './main.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Pipes and files are written synchronously on Linux, so nothing printed is lost; a keep-alive socket left open by
// a client library must not keep a finished command alive.
setTimeout(() => process.exit(code), 200).unref();
