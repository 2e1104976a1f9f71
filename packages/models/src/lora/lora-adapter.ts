import { deriveSeed, Rng } from '@rlgf/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LoraBinding, LoraFactor } from '../nn/lora-scope';
import type { HostTensor } from '../weights/weight-map';
import { transpose2d } from '../architectures/host-layout';
import { readFloat32 } from '../backend/read-float32';
import { copyVariable } from '../nn/copy-variable';
import { inFeatures, type LoraSite } from './lora-site';
import { loraScale, type LoraSettings } from './lora-settings';

/** PEFT's tensor names: `base_model.model.<module path>.lora_A.weight` [r, in] and `lora_B.weight` [out, r]. */
export const peftKey = (module: string, factor: 'A' | 'B') => `base_model.model.${module}.lora_${factor}.weight`;

/** One adapted module: its site and its two trainable factors in the internal layout. */
interface AdaptedModule {
  readonly site: LoraSite;
  readonly a: tf.Variable;
  readonly b: tf.Variable;
}

/** PEFT-layout factors of one module: `lora_A` [r, in], `lora_B` [out, r]. */
export interface PeftFactors {
  readonly a: HostTensor;
  readonly b: HostTensor;
}

/**
 * A LoRA adapter on some linear modules of one base network: per module, A [in, r] and B [r, out]
 * (PEFT's lora_A and lora_B transposed, B's columns in the network's column order), added as
 * `scale · x·A·B` beside the base product while {@link binding} is active. Its variables are the
 * only ones that train.
 */
export class LoraAdapter {
  readonly scale: number;
  private readonly modules: AdaptedModule[];
  private readonly byWeight = new Map<tf.Tensor, LoraFactor[]>();
  /** What `withLora` needs while this adapter's forward passes run. */
  readonly binding: LoraBinding;
  /** Dropout masks drawn so far: the adapter's random state, saved with its checkpoint. */
  dropoutDraws = 0;
  private disposed = false;

  private constructor(
    readonly settings: LoraSettings,
    readonly trainable: boolean,
    /** Seeds the dropout masks (with the draw count). */
    readonly seed: number,
    modules: readonly AdaptedModule[],
  ) {
    this.scale = loraScale(settings);
    this.binding = {
      factorsOf: (w) => this.byWeight.get(w),
      dropout: settings.dropout,
      nextDropoutSeed: () => deriveSeed(this.seed, 'lora-dropout', this.dropoutDraws++),
    };
    this.modules = [...modules];
    for (const { site, a, b } of this.modules) {
      const list = this.byWeight.get(site.weight) ?? [];
      list.push({ a, b, offset: site.offset, width: site.width, scale: this.scale });
      list.sort((x, y) => x.offset - y.offset);
      this.byWeight.set(site.weight, list);
    }
  }

  /**
   * A fresh adapter as PEFT initialises one: A Kaiming-uniform (bound 1/√in), B zero, so the
   * adapted model starts as the base. Drawn from `seed`, per module path.
   */
  static create(sites: readonly LoraSite[], settings: LoraSettings, options: { readonly seed: number; readonly trainable?: boolean }): LoraAdapter {
    const factors = sites.map((site) => {
      const rows = inFeatures(site);
      const bound = 1 / Math.sqrt(rows);
      const rng = Rng.fromSeed(options.seed, 'lora', site.module);
      const a = Float32Array.from({ length: rows * settings.r }, () => (2 * rng.nextFloat() - 1) * bound);
      return { site, a: { shape: [rows, settings.r], data: a }, b: { shape: [settings.r, site.width], data: new Float32Array(settings.r * site.width) } };
    });
    const trainable = options.trainable ?? true;
    return new LoraAdapter(settings, trainable, options.seed, upload(factors, trainable));
  }

  /** An adapter from PEFT-layout factors (checked by the caller against the sites' shapes). */
  static fromPeft(sites: readonly LoraSite[], settings: LoraSettings, peft: ReadonlyMap<string, PeftFactors>, options: { readonly seed: number; readonly trainable?: boolean }): LoraAdapter {
    const factors = sites.map((site) => {
      const { a, b } = peft.get(site.module) as PeftFactors;
      return { site, a: { shape: [a.shape[1], a.shape[0]], data: transpose2d(a.data, a.shape[0], a.shape[1]) }, b: peftBToInternal(b, site) };
    });
    const trainable = options.trainable ?? true;
    return new LoraAdapter(settings, trainable, options.seed, upload(factors, trainable));
  }

  /** The adapted modules, in the network's order. */
  get sites(): LoraSite[] {
    return this.modules.map(({ site }) => site);
  }

  /** A then B of each module, in the network's order: what an optimizer updates. */
  get variables(): tf.Variable[] {
    return this.trainable ? this.modules.flatMap(({ a, b }) => [a, b]) : [];
  }

  get parameterCount(): number {
    return this.modules.reduce((sum, { a, b }) => sum + a.size + b.size, 0);
  }

  /**
   * The factors in PEFT's layout and names (bit-exact inverse of {@link fromPeft}), all read
   * concurrently and asynchronously (webgpu has no synchronous read).
   */
  async toPeft(): Promise<Map<string, HostTensor>> {
    const values = await Promise.all(this.modules.map(({ a, b }) => Promise.all([readFloat32(a), readFloat32(b)])));
    const tensors = new Map<string, HostTensor>();
    this.modules.forEach(({ site, a, b }, i) => {
      const [rows, r] = a.shape;
      const [aValues, bValues] = values[i];
      tensors.set(peftKey(site.module, 'A'), { shape: [r, rows], data: transpose2d(aValues, rows, r) });
      tensors.set(peftKey(site.module, 'B'), internalBToPeft(bValues, b.shape, site));
    });
    return tensors;
  }

  /** An independent copy (its own variables, copied on the device) on the same sites; `trainable` defaults to this one's. */
  clone(options: { readonly trainable?: boolean; readonly seed?: number } = {}): LoraAdapter {
    const trainable = options.trainable ?? this.trainable;
    const modules = this.modules.map(({ site, a, b }) => ({ site, a: copyVariable(a, trainable), b: copyVariable(b, trainable) }));
    const copy = new LoraAdapter(this.settings, trainable, options.seed ?? this.seed, modules);
    copy.dropoutDraws = this.dropoutDraws;
    return copy;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const { a, b } of this.modules) {
      a.dispose();
      b.dispose();
    }
  }
}

/** Device variables for host factors in the internal layout. */
function upload(factors: readonly { site: LoraSite; a: HostTensor; b: HostTensor }[], trainable: boolean): AdaptedModule[] {
  return factors.map(({ site, a, b }) => ({
    site,
    a: tf.tidy(() => tf.variable(tf.tensor2d(a.data, [a.shape[0], a.shape[1]]), trainable)),
    b: tf.tidy(() => tf.variable(tf.tensor2d(b.data, [b.shape[0], b.shape[1]]), trainable)),
  }));
}

/** PEFT's B [out, r] as [r, width] with column j = output `order[j]` of the module. */
function peftBToInternal(b: HostTensor, site: LoraSite): HostTensor {
  const [out, r] = b.shape;
  const transposed = transpose2d(b.data, out, r);
  const { order } = site;
  if (order === undefined) return { shape: [r, out], data: transposed };
  const data = new Float32Array(r * out);
  for (let row = 0; row < r; row++) for (let j = 0; j < out; j++) data[row * out + j] = transposed[row * out + order[j]];
  return { shape: [r, out], data };
}

/** The inverse of {@link peftBToInternal}, from B's values [r, width] read from the device. */
function internalBToPeft(values: Float32Array, [r, out]: readonly number[], site: LoraSite): HostTensor {
  const { order } = site;
  let natural = values;
  if (order !== undefined) {
    natural = new Float32Array(r * out);
    for (let row = 0; row < r; row++) for (let j = 0; j < out; j++) natural[row * out + order[j]] = values[row * out + j];
  }
  return { shape: [out, r], data: transpose2d(natural, r, out) };
}
