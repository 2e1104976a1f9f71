import { Rng } from '@rlgf/core';
import type { LoraBase } from '../lora-model';
import { LoraAdapter, type PeftFactors } from '../lora-adapter';
import { inFeatures } from '../lora-site';
import type { LoraSettings } from '../lora-settings';
import { selectSites } from '../lora-targets';

/** An adapter with non-zero A and B (a fresh one has B = 0 and changes nothing): tests only. */
export function randomAdapter(base: LoraBase, settings: LoraSettings, seed = 7): LoraAdapter {
  const sites = selectSites(base.sites, settings.targetModules, base.modelType);
  const rng = Rng.fromSeed(seed, 'test-adapter');
  const uniform = (size: number, bound: number) => Float32Array.from({ length: size }, () => (2 * rng.nextFloat() - 1) * bound);
  const factors = new Map<string, PeftFactors>(
    sites.map((site) => [
      site.module,
      { a: { shape: [settings.r, inFeatures(site)], data: uniform(settings.r * inFeatures(site), 0.5) }, b: { shape: [site.width, settings.r], data: uniform(site.width * settings.r, 0.5) } },
    ]),
  );
  return LoraAdapter.fromPeft(sites, settings, factors, { seed });
}
