import { InvalidArgumentError } from '@rlgf/contracts';
import { moduleName, type LoraSite } from './lora-site';
import type { LoraSettings } from './lora-settings';

/**
 * The sites `targetModules` selects, as PEFT's `check_target_module_exists` matches: a list entry
 * selects a module whose path equals it or ends in `.entry`; a string is a regular expression the
 * whole path must match. An entry that selects nothing is an error naming the modules there are
 * (PEFT only fails when nothing at all matches; a typo there silently adapts fewer layers).
 * PEFT's shorthand `all-linear` selects every linear module but the output head.
 */
export function selectSites(sites: readonly LoraSite[], targets: LoraSettings['targetModules'], modelType: string): LoraSite[] {
  const known = [...new Set(sites.map(moduleName))].join(', ');
  const fail = (value: string) =>
    new InvalidArgumentError({
      argument: 'targetModules',
      value,
      expected: `a linear layer of this ${modelType} model (${known || 'it has none that LoRA can adapt'})`,
      hint: 'name modules as PEFT does (the last part of the module path)',
    });
  if (targets === allLinear) return [...sites];
  if (typeof targets === 'string') {
    const pattern = new RegExp(`^(?:${targets})$`);
    const selected = sites.filter((site) => pattern.test(site.module));
    if (selected.length === 0) throw fail(targets);
    return selected;
  }
  if (targets.length === 0) throw fail('[]');
  for (const target of targets) {
    if (!sites.some((site) => matches(site, target))) throw fail(target);
  }
  return sites.filter((site) => targets.some((target) => matches(site, target)));
}

/** PEFT's `target_modules` shorthand for every linear layer except the output head. */
export const allLinear = 'all-linear';

function matches(site: LoraSite, target: string): boolean {
  return site.module === target || site.module.endsWith(`.${target}`);
}
