#!/usr/bin/env node
// The `phiseal` binary: every command is the in-process `run`, so this only wires the process in.
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
