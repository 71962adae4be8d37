#!/usr/bin/env node
// The `phiseal` binary: every command is the in-process `run`; this only wires the process
// in. Ctrl-C aborts the command so it can remove a partial output file (a second one kills).
import { run } from './run.js';

// phiseal pins AWS SDK versions that support Node 20; the SDK's upgrade notice is noise here.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
const interrupt = new AbortController();
// SIGHUP (the terminal closed) and SIGPIPE (sent explicitly; a closed stdout pipe already
// surfaces as an EPIPE error) end the run the same way. SIGKILL cannot be caught: its
// temporary file is removed by the next run or `phiseal doctor`.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGPIPE'] as const) process.once(signal, () => interrupt.abort());
const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, signal: interrupt.signal };
process.exitCode = await run(process.argv.slice(2), io);
