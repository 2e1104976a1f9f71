import { createProjectGraphAsync, type ProjectGraph } from '@nx/devkit';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

// These tests lint probe sources placed (virtually) inside real projects, so they check the
// boundary rules the workspace actually enforces, not a copy of them.
const root = resolve(__dirname, '../../..');

function projectsTagged(graph: ProjectGraph, tag: string) {
  return Object.values(graph.nodes)
    .filter((node) => node.data.tags?.includes(tag))
    .map((node) => ({ name: node.name, root: node.data.root }));
}

function packageName(projectRoot: string): string {
  return (require(join(root, projectRoot, 'package.json')) as { name: string }).name;
}

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
}

// ESLint runs as the real CLI in a child process (its config loader needs native dynamic import,
// which jest's module system does not offer), on the probe source given through stdin.
async function boundaryErrors(projectRoot: string, code: string, file = 'src/boundary-probe.ts'): Promise<LintMessage[]> {
  const run = spawnSync(join(root, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', join(root, projectRoot, file), '--format', 'json'], {
    cwd: root,
    input: code,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (run.stdout.trim() === '') throw new Error(`eslint produced no report: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as { messages: LintMessage[] }[];
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries' || m.ruleId === '@typescript-eslint/no-restricted-imports');
}

describe('module boundaries', () => {
  let graph: ProjectGraph;

  beforeAll(async () => {
    process.env.NX_DAEMON = 'false';
    graph = await createProjectGraphAsync({ exitOnError: false });
  }, 120_000);

  it('reject a plugin importing another plugin', async () => {
    const plugins = projectsTagged(graph, 'type:plugin');
    expect(plugins.length).toBeGreaterThanOrEqual(2);
    const [importer, imported] = plugins;
    const errors = await boundaryErrors(importer.root, `export * from '${packageName(imported.root)}';\n`);
    expect(errors.map((e) => e.message).join('\n')).toMatch(/tagged with "type:plugin" can only depend on libs tagged with "type:contract", "type:core"/);
  });

  it('let a plugin import contracts and core (the rule is not just rejecting everything)', async () => {
    const [plugin] = projectsTagged(graph, 'type:plugin');
    const errors = await boundaryErrors(plugin.root, `export * from '@rlgf/contracts';\nexport * from '@rlgf/core';\n`);
    expect(errors).toEqual([]);
  });

  it('reject core importing a plugin, and contracts importing runtime code', async () => {
    const [plugin] = projectsTagged(graph, 'type:plugin');
    const coreErrors = await boundaryErrors('packages/core', `export * from '${packageName(plugin.root)}';\n`);
    expect(coreErrors.length).toBeGreaterThan(0);
    const contractErrors = await boundaryErrors('packages/contracts', `import { z } from 'zod';\nexport const schema = z;\n`);
    expect(contractErrors.map((e) => e.message).join('\n')).toMatch(/contracts import no runtime library/);
    const typeOnly = await boundaryErrors('packages/contracts', `import type { DependencyContainer } from 'tsyringe';\nexport type C = DependencyContainer;\n`);
    expect(typeOnly).toEqual([]);
  });

  it('let only spec files of a plugin use the testing package', async () => {
    const [plugin] = projectsTagged(graph, 'type:plugin');
    const code = `export * from '@rlgf/testing';\n`;
    expect(await boundaryErrors(plugin.root, code, 'src/boundary-probe.ts')).not.toEqual([]);
    expect(await boundaryErrors(plugin.root, code, 'src/boundary-probe.spec.ts')).toEqual([]);
  });

  it('tag every project on both axes', () => {
    for (const node of Object.values(graph.nodes)) {
      const tags = node.data.tags ?? [];
      expect({ project: node.name, type: tags.some((t) => t.startsWith('type:')), scope: tags.some((t) => t.startsWith('scope:')) }).toEqual({
        project: node.name,
        type: true,
        scope: true,
      });
    }
  });
});
