import { componentKinds, listFactories, optionHelp, registeredPlugins } from '@rlgf/core';
import { Command } from 'commander';
import { action, printJson, type CommandFactory } from '../command-kit';
import { composeRun } from '../composition/compose-run';
import { loadRecipeFile } from '../composition/recipe-file';

interface PluginsOptions {
  readonly config?: string;
  readonly json?: boolean;
  readonly options?: boolean;
}

export const pluginsCommand: CommandFactory = (io) =>
  new Command('plugins')
    .description('list the registered plugins, their versions and the components they provide')
    .option('-c, --config <recipe.yaml>', 'also load the plugins this recipe names')
    .option('--options', "show each component's options")
    .option('--json', 'print JSON instead of a table')
    .action(
      action<PluginsOptions>(io, async ({ logger }, options) => {
        const recipe = options.config ? await loadRecipeFile(options.config, { cwd: io.cwd }) : undefined;
        const container = await composeRun({
          plugins: recipe?.recipe.plugins,
          baseDir: recipe?.baseDir ?? io.cwd,
          logger,
        });
        const plugins = registeredPlugins(container).map((plugin) => ({
          id: plugin.id,
          version: plugin.version,
          kind: plugin.kind,
          description: plugin.description,
        }));
        const components = componentKinds.flatMap((kind) =>
          listFactories(container, kind).map((factory) => ({
            kind,
            id: factory.id,
            description: factory.description,
            options: optionHelp(factory),
            optionsSchema: factory.optionsSchema?.['~standard'].jsonSchema.input({ target: 'draft-2020-12' }),
          })),
        );
        if (options.json) {
          printJson(io, { plugins, components });
          return;
        }
        const lines = ['PLUGIN                              VERSION   KIND', ...plugins.map((p) => `${p.id.padEnd(36)}${p.version.padEnd(10)}${p.kind}`)];
        lines.push('', 'COMPONENT                           DESCRIPTION');
        for (const component of components) {
          lines.push(`${`${component.kind}:${component.id}`.padEnd(36)}${component.description}`);
          if (options.options) {
            for (const [name, help] of Object.entries(component.options)) lines.push(`    ${name.padEnd(24)}${help}`);
          }
        }
        io.stdout(`${lines.join('\n')}\n`);
      }),
    );
