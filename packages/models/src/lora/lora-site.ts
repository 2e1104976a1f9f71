import type * as tf from '@tensorflow/tfjs-core';

/**
 * One linear module a LoRA adapter may target, as PEFT sees it and as the network computes it.
 * Networks fuse projections (q/k/v in one [in, out] matrix, gate/up in another) and reorder
 * rotary features, so a module is a block of columns of an internal weight.
 */
export interface LoraSite {
  /** The module's path in the Hugging Face model (its weight name without `.weight`): PEFT's key. */
  readonly module: string;
  /** The internal [in, out] weight whose product includes this module's. */
  readonly weight: tf.Variable;
  /** The module's first column in `weight`, and its output features (PyTorch `out_features`). */
  readonly offset: number;
  readonly width: number;
  /** Internal column `offset + j` holds the module's output `order[j]`; absent: `j`. */
  readonly order?: Int32Array;
  /** GPT-2's Conv1D: PEFT records `fan_in_fan_out: true` for it. */
  readonly conv1d?: boolean;
}

/** The last component of a module path: what the family's `loraTargetModules` lists. */
export function moduleName(site: LoraSite): string {
  return site.module.slice(site.module.lastIndexOf('.') + 1);
}

/** Input features of a site's module (PyTorch `in_features`). */
export function inFeatures(site: LoraSite): number {
  return site.weight.shape[0];
}

export interface SiteBlock {
  /** The module path. */
  readonly module: string;
  readonly width: number;
  readonly order?: Int32Array;
}

/** The sites of modules fused side by side, in column order, into one internal weight. */
export function fusedSites(weight: tf.Variable, blocks: readonly SiteBlock[], options: { readonly conv1d?: boolean } = {}): LoraSite[] {
  let offset = 0;
  return blocks.map((block) => {
    const site: LoraSite = { module: block.module, weight, offset, width: block.width, ...(block.order && { order: block.order }), ...(options.conv1d && { conv1d: true }) };
    offset += block.width;
    return site;
  });
}

/** `order` restricted to one block of `width` columns from `offset` (a permutation within the block). */
export function blockOrder(order: Int32Array, offset: number, width: number): Int32Array {
  return Int32Array.from(order.subarray(offset, offset + width), (column) => column - offset);
}
