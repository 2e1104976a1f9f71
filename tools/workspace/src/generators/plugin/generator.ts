import { formatFiles, generateFiles, installPackagesTask, joinPathFragments, names, type GeneratorCallback, type Tree } from '@nx/devkit';

export const pluginKinds = ['task', 'guide', 'reward', 'metric'] as const;
export type PluginKind = (typeof pluginKinds)[number];

export interface PluginGeneratorSchema {
  readonly kind: PluginKind;
  readonly name: string;
  readonly skipInstall?: boolean;
}

/** What the generated spec passes to the kind's contract suite, and the description it starts with. */
const kindText: Record<PluginKind, { readonly Kind: string; readonly description: string }> = {
  task: { Kind: 'Task', description: 'prompts from the options, the same for every split' },
  guide: { Kind: 'Guide', description: 'continues every prompt with a fixed text' },
  reward: { Kind: 'Reward', description: 'the share of a target number of words the generation reaches' },
  metric: { Kind: 'Metric', description: 'the mean number of words of the predictions' },
};

/**
 * `nx g @rlgf/workspace:plugin --kind task|guide|reward|metric --name <name>`: a package in
 * plugins/<kind>-<name> with a zod options schema, a factory, `definePlugin`, and a spec that
 * creates the component through the core (options validated) and runs the kind's contract suite.
 * It lints, type-checks and passes its tests as generated; the user replaces the example logic.
 */
export async function pluginGenerator(tree: Tree, options: PluginGeneratorSchema): Promise<GeneratorCallback | undefined> {
  if (!pluginKinds.includes(options.kind)) throw new Error(`--kind must be one of ${pluginKinds.join(', ')}, got "${options.kind}"`);
  if (!/^[a-z][a-z0-9-]*$/.test(options.name)) throw new Error(`--name must be lowercase letters, digits and dashes (it is the id recipes use), got "${options.name}"`);
  const root = joinPathFragments('plugins', `${options.kind}-${options.name}`);
  if (tree.exists(root)) throw new Error(`${root} already exists: pick another --name`);
  const substitutions = {
    ...names(options.name),
    kind: options.kind,
    ...kindText[options.kind],
    packageName: `@rlgf/${options.kind}-${options.name}`,
    projectName: `${options.kind}-${options.name}`,
    root,
    tmpl: '',
  };
  generateFiles(tree, joinPathFragments(__dirname, 'files', 'common'), root, substitutions);
  generateFiles(tree, joinPathFragments(__dirname, 'files', options.kind), root, substitutions);
  await formatFiles(tree);
  // npm workspaces link the package into node_modules, so `plugins: ['@rlgf/<kind>-<name>']` resolves.
  return options.skipInstall ? undefined : () => installPackagesTask(tree, true);
}

export default pluginGenerator;
