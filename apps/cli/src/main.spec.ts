import { CheckpointError, InvalidArgumentError, RecipeError, UnknownComponentError } from '@rlgf/contracts';
import { join } from 'node:path';
import { runCli } from './testing/run-cli';
import { exitCodeOf } from './main';

const fixtures = join(__dirname, '__fixtures__');

describe('rlgf', () => {
  it('prints help for the program and every command, on stdout, exit 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: rlgf');
    expect(help.stdout).toContain('plugins');
    const pluginsHelp = await runCli(['plugins', '--help']);
    expect(pluginsHelp.code).toBe(0);
    expect(pluginsHelp.stdout).toContain('--config <recipe.yaml>');
  });

  it('rejects an unknown command with a usage error (exit 2)', async () => {
    const result = await runCli(['trian']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'trian'/);
    expect(result.stdout).toBe('');
  });

  it('loads a task plugin from a fixture folder named by a recipe', async () => {
    const result = await runCli(['plugins', '--config', join(fixtures, 'counting.yaml'), '--json']);
    expect(result.code).toBe(0);
    const listing = JSON.parse(result.stdout);
    expect(listing.plugins).toContainEqual(expect.objectContaining({ id: 'rlgf-task-counting-fixture', version: '1.0.0', kind: 'task' }));
    expect(listing.components).toContainEqual(expect.objectContaining({ kind: 'task', id: 'counting' }));
  });

  it('fails with one line naming the field of a bad recipe, exit 2, stack only with --verbose', async () => {
    const bad = await runCli(['plugins', '--config', join(fixtures, 'counting.yaml'), '--set', 'rollout.iterations=0'], {});
    // plugins does not take --set: a usage error
    expect(bad.code).toBe(2);
    const missing = await runCli(['plugins', '--config', join(fixtures, 'missing.yaml')]);
    // A recipe error is the user's to fix, as a usage error is: exit 2.
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('rlgf: error: invalid recipe');
    expect(missing.stderr).toContain('file not found');
    const verbose = await runCli(['plugins', '--config', join(fixtures, 'missing.yaml'), '--verbose']);
    expect(verbose.stderr.split('\n').length).toBeGreaterThan(3);
    expect(verbose.stderr).toContain('at ');
  });

  it('exits 2 for what the user wrote (flags, recipe, component ids, option values), 1 when the work failed', () => {
    expect(exitCodeOf(new RecipeError({ source: 'r.yaml', issues: [{ path: 'rollout.iterations', message: 'got 0, expected > 0' }] }))).toBe(2);
    expect(exitCodeOf(new InvalidArgumentError({ argument: 'task.options.promptTokens', value: 0, expected: '>= 1' }))).toBe(2);
    expect(exitCodeOf(new UnknownComponentError({ kind: 'task', id: 'synthetc', known: ['synthetic'] }))).toBe(2);
    expect(exitCodeOf(new CheckpointError({ message: 'checkpoint damaged' }))).toBe(1);
    expect(exitCodeOf(new Error('ECONNREFUSED'))).toBe(1);
  });
});
