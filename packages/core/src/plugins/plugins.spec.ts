import { HubError, PluginLoadError, UnknownComponentError, type HubFilesV1 } from '@rlgf/contracts';
import { join } from 'node:path';
import { silentLogger } from '../logging/console-logger';
import { createComponent, createComponentContext, listFactories } from './components';
import { importPlugin } from './import-plugin';
import { createRunContainer, registeredPlugins, registerPlugins } from './run-container';

const fixtures = join(__dirname, '__fixtures__');
const noHub: HubFilesV1 = {
  resolveFile: async () => {
    throw new HubError({ message: 'no hub in this test' });
  },
  listFiles: async () => [],
};

async function contextWithGreetings() {
  const container = createRunContainer();
  const plugin = await importPlugin('./greeting-plugin', { baseDir: fixtures });
  registerPlugins(container, [{ plugin }], { logger: silentLogger });
  return createComponentContext({ container, hub: noHub, logger: silentLogger, seed: 1, cacheDir: '/tmp' });
}

describe('plugin loading through per-run containers', () => {
  it('imports a plugin from a directory path and creates its component by id', async () => {
    const context = await contextWithGreetings();
    const metric = await createComponent(context, 'metric', { id: 'greetings', options: { word: 'hi' } });
    const result = await metric.doCompute({ items: [{ prediction: 'hi there', references: [] }, { prediction: 'bye', references: [] }] });
    expect(result.corpus).toEqual({ greetings: 0.5 });
  });

  it('imports a single .ts file that exports `plugin`, named by path (no package needed)', async () => {
    const plugin = await importPlugin('./greeting-plugin/index.ts', { baseDir: fixtures });
    expect(plugin).toMatchObject({ specificationVersion: 'v1', id: 'greeting-plugin', kind: 'metric' });
  });

  it('has no import-time side effects: runs do not see each other', async () => {
    const withPlugin = await contextWithGreetings();
    const other = createRunContainer();
    await expect(createComponent(withPlugin, 'metric', { id: 'greetings' })).resolves.toMatchObject({ id: 'greetings' });
    const otherContext = createComponentContext({ container: other, hub: noHub, logger: silentLogger, seed: 1, cacheDir: '/tmp' });
    await expect(createComponent(otherContext, 'metric', { id: 'greetings' })).rejects.toThrow(UnknownComponentError);
    expect(listFactories(other, 'metric')).toEqual([]);
    expect(registeredPlugins(other)).toEqual([]);
  });

  it('registers a plugin once even when a recipe names it twice', async () => {
    const container = createRunContainer();
    const plugin = await importPlugin('./greeting-plugin', { baseDir: fixtures });
    registerPlugins(container, [{ plugin }, { plugin }], { logger: silentLogger });
    expect(listFactories(container, 'metric')).toHaveLength(1);
    expect(registeredPlugins(container).map((p) => p.id)).toEqual(['greeting-plugin']);
  });

  it('names the known components when one is unknown', async () => {
    const context = await contextWithGreetings();
    const attempt = createComponent(context, 'metric', { id: 'greeting' });
    await expect(attempt).rejects.toThrow(UnknownComponentError);
    await expect(attempt).rejects.toThrow('unknown metric "greeting"; known metrics: greetings');
    await expect(createComponent(context, 'task', { id: 'imdb' })).rejects.toThrow('known tasks: (none registered)');
  });

  it('explains why a module is not a plugin', async () => {
    await expect(importPlugin('./not-a-plugin', { baseDir: fixtures })).rejects.toThrow(
      'cannot load plugin ./not-a-plugin: its specificationVersion is "v2", this core supports "v1"',
    );
    await expect(importPlugin('./missing', { baseDir: fixtures })).rejects.toThrow(PluginLoadError);
    await expect(importPlugin('@rlgf/no-such-plugin', { baseDir: fixtures })).rejects.toThrow(
      /cannot load plugin @rlgf\/no-such-plugin/,
    );
  });
});
