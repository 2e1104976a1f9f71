import { createAlgorithmRegistry } from '@rlgf/trainer';

const registry = createAlgorithmRegistry();

/**
 * The recipe's `algorithm` block for `name`, keeping only the settings that algorithm has: an
 * experiment states its settings once for all algorithms, and the trainer refuses a setting of
 * another algorithm.
 */
export function algorithmRecipe(name: string, settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const module = registry.find(name);
  if (!module) throw new Error(`unknown algorithm ${name}`);
  const own = Object.keys((module.settings as unknown as { shape?: Record<string, unknown> }).shape ?? {});
  return { name, ...Object.fromEntries(Object.entries(settings).filter(([key]) => own.includes(key))) };
}

/** Whether `name` ever rolls in or out with a guide, as its own schedule says (defaults settings). */
export function usesGuide(name: string): boolean {
  const module = registry.find(name);
  if (!module) throw new Error(`unknown algorithm ${name}`);
  return module.schedule(module.settings.parse({}), { seed: 0 }).usesGuide;
}
