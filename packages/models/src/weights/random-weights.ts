import { Rng } from '@rlgf/core';
import type { HostTensor, WeightMap } from './weight-map';

/** Norm gains start at 1 and biases at 0, as in PyTorch's initialisation of these layers. */
function constantFor(name: string): number | undefined {
  if (/\.bias$/.test(name)) return 0;
  if (/(norm|ln_[a-z0-9]+|ln_f)\.weight$/.test(name)) return 1;
  return undefined;
}

/**
 * Weights for training from scratch: N(0, std²) matrices (GPT-2's and Llama's `initializer_range`
 * 0.02 by default; `stdOf` gives an architecture's own per-tensor scale, `std` overrides both),
 * unit norm gains, zero biases, all drawn from a seeded stream so a model built from the same seed
 * is the same model.
 */
export function randomWeightMap(
  shapes: ReadonlyMap<string, readonly number[]>,
  options: { seed: number; std?: number; stdOf?: (name: string) => number },
): WeightMap {
  const weights = new Map<string, HostTensor>();
  for (const name of [...shapes.keys()].sort()) {
    const shape = shapes.get(name) ?? [];
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    const constant = constantFor(name);
    if (constant !== undefined) {
      data.fill(constant);
    } else {
      const rng = Rng.fromSeed(options.seed, 'random-weights', name);
      const std = options.std ?? options.stdOf?.(name) ?? 0.02;
      for (let i = 0; i < size; i += 2) {
        // Box-Muller: two independent normals per pair of uniforms.
        const radius = std * Math.sqrt(-2 * Math.log(1 - rng.nextFloat()));
        const angle = 2 * Math.PI * rng.nextFloat();
        data[i] = radius * Math.cos(angle);
        if (i + 1 < size) data[i + 1] = radius * Math.sin(angle);
      }
    }
    weights.set(name, { shape, data });
  }
  return weights;
}
