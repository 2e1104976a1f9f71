import { RecipeError } from '@rlgf/contracts';
import { closestName, resolveAllValues } from '@rlgf/core';
import type { DependencyContainer } from 'tsyringe';
import { RL_ALGORITHM } from './algorithm-token';
import { describeIssues, type Recipe } from '@rlgf/recipe';
import type { z } from 'zod';
import { aggrevated } from './aggrevated';
import type { AlgorithmModule, AlgorithmSchedule, SettingsIssue } from './algorithm';
import { d2lols } from './d2lols';
import { grpo, grpoAggrevated, grpoPlusPlus } from './grpo';
import { lols } from './lols';
import { ppo } from './ppo';
import { ppoPlusPlus } from './ppo-plus-plus';
import { reinforcePlusPlus } from './reinforce-plus-plus';
import { rloo } from './rloo';

/** The RL algorithm modules this package ships; plugins add more (`createAlgorithmRegistry`). SFT is a separate trainer. */
export const builtInAlgorithms: readonly AlgorithmModule[] = [ppo, ppoPlusPlus, aggrevated, lols, d2lols, grpo, grpoPlusPlus, grpoAggrevated, rloo, reinforcePlusPlus];

export interface AlgorithmRegistry {
  readonly modules: readonly AlgorithmModule[];
  find(name: string): AlgorithmModule | undefined;
}

export function createAlgorithmRegistry(modules: readonly AlgorithmModule[] = builtInAlgorithms): AlgorithmRegistry {
  const byName = new Map<string, AlgorithmModule>();
  for (const module of modules) byName.set(module.name, module);
  return { modules: [...byName.values()], find: (name) => byName.get(name) };
}

/** The algorithms of a run: the built-in ones and those its plugins registered under RL_ALGORITHM. */
export function runAlgorithms(container: DependencyContainer): AlgorithmRegistry {
  return createAlgorithmRegistry([...builtInAlgorithms, ...resolveAllValues(container, RL_ALGORITHM)]);
}

/** An algorithm resolved for a run: its module, validated settings and schedule. */
export interface ResolvedAlgorithm {
  readonly module: AlgorithmModule;
  readonly settings: unknown;
  readonly schedule: AlgorithmSchedule;
}

const fieldsOf = (module: AlgorithmModule): string[] => Object.keys((module.settings as unknown as z.ZodObject).shape ?? {});

/** Fields that belong to no setting of `module`: named with the algorithms they belong to, or the closest setting. */
function foreignFields(module: AlgorithmModule, given: Readonly<Record<string, unknown>>, registry: AlgorithmRegistry): SettingsIssue[] {
  const own = fieldsOf(module);
  return Object.keys(given)
    .filter((key) => key !== 'name' && !own.includes(key))
    .map((key) => {
      const owners = registry.modules.filter((other) => fieldsOf(other).includes(key)).map((other) => other.name);
      const suggestion = closestName(key, own);
      const belongs = owners.length > 0 ? ` (it is a setting of ${owners.join(', ')})` : suggestion ? ` (did you mean ${suggestion}?)` : '';
      const settings = own.length > 0 ? `${module.name}'s settings are ${own.join(', ')}` : `${module.name} has no settings`;
      return { path: `algorithm.${key}`, message: `not a setting of ${module.name}${belongs}: remove it; ${settings}` };
    });
}

/**
 * Resolves the recipe's `algorithm` against the registry: the module named, its settings parsed
 * with the module's schema (defaults filled), its cross-field checks, and the guide it needs.
 * Problems are one RecipeError listing each field, its value and the fix.
 */
export function resolveAlgorithm(recipe: Recipe, registry: AlgorithmRegistry = createAlgorithmRegistry(), source = 'recipe'): ResolvedAlgorithm {
  const { name, ...given } = recipe.algorithm;
  const module = registry.find(name);
  if (!module) {
    const known = registry.modules.map((m) => m.name);
    const suggestion = closestName(name, known);
    throw new RecipeError({
      source,
      issues: [{ path: 'algorithm.name', message: `unknown RL algorithm "${name}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}; known: ${known.join(', ')}` }],
      hint: name === 'sft' ? 'supervised fine-tuning is `rlgf sft --config <recipe>`' : 'an algorithm from a plugin must be listed in the recipe\'s `plugins`',
    });
  }
  const foreign = foreignFields(module, given, registry);
  if (foreign.length > 0) throw new RecipeError({ source, issues: foreign });
  const parsed = module.settings.safeParse(given);
  if (!parsed.success) {
    throw new RecipeError({ source, issues: describeIssues(parsed.error.issues, given).map((issue) => ({ ...issue, path: `algorithm.${issue.path}` })) });
  }
  const schedule = module.schedule(parsed.data, { seed: recipe.seed });
  const issues: SettingsIssue[] = [...(module.check?.(parsed.data, recipe) ?? [])];
  if (schedule.usesGuide && !recipe.guide) issues.push({ path: 'guide', message: `algorithm ${name} needs a guide: add e.g. "guide: { id: local, options: { model: <dir or hub id> } }"` });
  if (issues.length > 0) throw new RecipeError({ source, issues });
  return { module, settings: parsed.data, schedule };
}

/** The schedule of the recipe's algorithm (built-in modules). */
export function algorithmSchedule(recipe: Recipe, registry?: AlgorithmRegistry): AlgorithmSchedule {
  return resolveAlgorithm(recipe, registry).schedule;
}
