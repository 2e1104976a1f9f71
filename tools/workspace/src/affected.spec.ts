import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

/** The projects `nx affected` would run for these changed files (the CI workflow's pull-request logic). */
function affectedBy(...files: string[]): string[] {
  const out = execFileSync('npx', ['nx', 'show', 'projects', '--affected', `--files=${files.join(',')}`, '--json'], {
    cwd: root,
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
    encoding: 'utf8',
  });
  return (JSON.parse(out) as string[]).sort();
}

describe('affected-only CI', () => {
  it('selects a changed plugin and the projects that depend on it, nothing else', () => {
    expect(affectedBy('plugins/task-files/src/files-task.ts')).toEqual(['cli', 'task-files']);
  }, 60_000);

  it('selects everything that imports the contracts when they change', () => {
    const affected = affectedBy('packages/contracts/src/task/v1/task-v1.ts');
    expect(affected).toEqual(expect.arrayContaining(['contracts', 'core', 'task-files', 'task-imdb', 'trainer', 'cli']));
  }, 60_000);
});
