import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { pluginGenerator, pluginKinds, type PluginKind } from './generator';

const contractSuite: Record<PluginKind, string> = {
  task: 'describeTaskContract',
  guide: 'describeGuideContract',
  reward: 'describeRewardContract',
  metric: 'describeMetricContract',
};

describe('nx g @rlgf/workspace:plugin', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it.each(pluginKinds.map((kind) => [kind]))('scaffolds a %s plugin package that registers its factory and runs its contract suite', async (kind) => {
    const install = await pluginGenerator(tree, { kind, name: 'word-count', skipInstall: true });
    expect(install).toBeUndefined();
    const root = `plugins/${kind}-word-count`;
    expect(tree.children(root).sort()).toEqual(['README.md', 'jest.config.cjs', 'package.json', 'project.json', 'src', 'tsconfig.json']);
    expect(tree.children(`${root}/src`).sort()).toEqual(['index.ts', 'plugin.ts', 'word-count.spec.ts', 'word-count.ts']);
    expect(readJson(tree, `${root}/package.json`)).toMatchObject({ name: `@rlgf/${kind}-word-count`, main: 'src/index.ts', dependencies: { '@rlgf/contracts': '0.1.0', '@rlgf/core': '0.1.0', zod: '^4.1.0' } });
    // The boundary rule constrains the package by these tags, and run-many finds its targets.
    expect(readJson(tree, `${root}/project.json`)).toMatchObject({ name: `${kind}-word-count`, tags: ['type:plugin', `scope:${kind}`], targets: { lint: {}, typecheck: {}, test: {} } });
    const source = tree.read(`${root}/src/word-count.ts`, 'utf8') ?? '';
    expect(source).toContain(`export const wordCount${kind[0].toUpperCase()}${kind.slice(1)}Factory: ComponentFactoryV1<'${kind}'`);
    expect(source).toContain("id: 'word-count'");
    expect(source).toContain('optionsSchema:');
    expect(tree.read(`${root}/src/plugin.ts`, 'utf8')).toContain(`kind: '${kind}'`);
    const spec = tree.read(`${root}/src/word-count.spec.ts`, 'utf8') ?? '';
    expect(spec).toContain(`${contractSuite[kind]}('word-count'`);
    expect(spec).toContain(`createComponent(context, '${kind}', { id: 'word-count', options })`);
    expect(tree.read(`${root}/README.md`, 'utf8')).toContain(`plugins: ['@rlgf/${kind}-word-count']`);
  });

  it('installs (links the workspace package) unless told not to', async () => {
    expect(typeof (await pluginGenerator(tree, { kind: 'reward', name: 'r' }))).toBe('function');
  });

  it('refuses an existing package, a bad name and an unknown kind in one line each', async () => {
    await pluginGenerator(tree, { kind: 'task', name: 'mine', skipInstall: true });
    await expect(pluginGenerator(tree, { kind: 'task', name: 'mine' })).rejects.toThrow('plugins/task-mine already exists: pick another --name');
    await expect(pluginGenerator(tree, { kind: 'task', name: 'My Task' })).rejects.toThrow('--name must be lowercase letters, digits and dashes (it is the id recipes use), got "My Task"');
    await expect(pluginGenerator(tree, { kind: 'tracker' as PluginKind, name: 'x' })).rejects.toThrow('--kind must be one of task, guide, reward, metric, got "tracker"');
  });
});
