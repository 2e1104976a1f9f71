export { formatError } from './errors/format-error';
export { createConsoleLogger, silentLogger, type ConsoleLoggerSettings, type LogLevel } from './logging/console-logger';
export {
  createComponent,
  createComponentContext,
  createComponentWith,
  findFactory,
  listFactories,
  type ComponentContextSettings,
} from './plugins/components';
export { definePlugin, type PluginDefinition } from './plugins/define-plugin';
export { asPlugin, importModule, importPlugin } from './plugins/import-plugin';
export { createRunContainer, registeredPlugins, registerPlugins, type PluginToRegister } from './plugins/run-container';
export { componentKinds, factoryTokens, registerValue, resolveAllValues, tryResolve } from './plugins/tokens';
export { createProgress, formatDuration, type Progress, type ProgressMode, type ProgressSettings } from './progress/progress';
export { createTerminalWriter, redrawLine } from './progress/terminal-writer';
export { closestName, didYouMean, editDistance } from './schema/closest-name';
export { describeOptions, optionHelp, validateComponentOptions, type OptionDoc } from './schema/component-options';
export { describeIssues, type DescribeIssuesOptions, type SchemaIssue } from './schema/describe-issues';
export { Rng, type RngState } from './random/rng';
export { deriveSeed, mix32 } from './random/seed';
export { packageResolvers, resolveInstalled } from './packages/resolve-installed';
export { leadingSpecialIds } from './tokens/leading-special-ids';
export { minNewTokensAt } from './tokens/min-new-tokens';
