#!/usr/bin/env node
// `npm test`: lint, type-check and jest for every project, through Nx (cached, 2 in parallel).
// Affected-only when a base ref is given: `npm test -- --base=origin/main` or NX_BASE=origin/main.
import { spawnSync } from 'node:child_process';

const baseArg = process.argv.slice(2).find((arg) => arg.startsWith('--base='));
const base = baseArg ? baseArg.slice('--base='.length) : process.env.NX_BASE;
const targets = ['-t', 'lint', 'typecheck', 'test'];
const args = base
  ? ['affected', ...targets, `--base=${base}`]
  : ['run-many', ...targets];

// The CI workflow users copy must stay valid: schema-checked by action-validator (WASM, from npm).
const workflow = spawnSync('npx', ['action-validator', '.github/workflows/ci.yml'], { stdio: 'inherit' });
if (workflow.status !== 0) process.exit(workflow.status ?? 1);

const result = spawnSync('npx', ['nx', ...args, '--parallel=2', '--outputStyle=static'], {
  stdio: 'inherit',
  env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...process.env },
});
process.exit(result.status ?? 1);
