import type { HostTensor, WeightMap } from '../weights/weight-map';
import { peftKey, type LoraAdapter } from './lora-adapter';
import type { LoraSite } from './lora-site';

/**
 * `weights` with each adapted module's weight replaced by W + scale·B·A, as PEFT's
 * `merge_and_unload` computes it (transposed for GPT-2's Conv1D, which stores [in, out]).
 */
export async function mergeAdapter(weights: WeightMap, adapter: LoraAdapter): Promise<WeightMap> {
  const merged = new Map(weights);
  const factors = await adapter.toPeft();
  for (const site of adapter.sites) {
    const name = `${site.module}.weight`;
    const base = weights.get(name);
    if (base === undefined) throw new Error(`merge: the base has no ${name}`);
    merged.set(name, addDelta(base, factors.get(peftKey(site.module, 'A')) as HostTensor, factors.get(peftKey(site.module, 'B')) as HostTensor, adapter.scale, site));
  }
  return merged;
}

function addDelta(base: HostTensor, a: HostTensor, b: HostTensor, scale: number, site: LoraSite): HostTensor {
  const [r, inner] = a.shape;
  const out = b.shape[0];
  const data = new Float32Array(base.data);
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < inner; i++) {
      let sum = 0;
      for (let k = 0; k < r; k++) sum += b.data[o * r + k] * a.data[k * inner + i];
      // Rounded to float32 before scaling and adding, as PyTorch's float32 B @ A then * scaling.
      const index = site.conv1d ? i * out + o : o * inner + i;
      data[index] = Math.fround(data[index] + Math.fround(Math.fround(sum) * scale));
    }
  }
  return { shape: base.shape, data };
}
