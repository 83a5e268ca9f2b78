#!/usr/bin/env node
// The `congthu` command. Runs the TypeScript sources through tsx's loader, so a checkout works
// right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli, processIo } = await import('../src/cli/main.ts');
const code = await runCli(process.argv.slice(2), processIo());
process.exitCode = code;
