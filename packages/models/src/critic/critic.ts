import type * as tf from '@tensorflow/tfjs-core';
import { ModelFormatError } from '@rlgf/contracts';
import type { TrainableLanguageModel } from '../model/trainable-language-model';
import type { ContinuationBatch } from '../scoring/continuations';
import type { HostTensor, WeightMap } from '../weights/weight-map';
import { ValueHead, valueHeadWeightNames, type ValueHeadInit } from './value-head';

export interface CriticOptions {
  /**
   * `separate`: the critic has its own trunk, initialised from `trunkFrom` (a copy, never shared);
   * `shared`: the head sits on the policy's trunk and reads the hidden states of the policy's
   * forward pass (`valuesFromHidden`), so its variables are the head's only.
   */
  readonly trunk: 'separate' | 'shared';
  /** The model whose weights start the separate trunk, or whose trunk is shared. */
  readonly trunkFrom: TrainableLanguageModel;
  /** Fresh head initialisation (default zeros), saved head weights (`v_head.summary.*`), or a head to copy on the device. */
  readonly head?: ValueHeadInit | WeightMap | { readonly copyOf: ValueHead };
}

/**
 * A value model: an LM trunk plus a scalar head giving V(s_t) at every position. Trained with the
 * same machinery as the policy (`tf.variableGrads` over `variables`).
 */
export class Critic {
  readonly head: ValueHead;
  /** The separate trunk (undefined when shared). */
  readonly trunk?: TrainableLanguageModel;

  constructor(readonly options: CriticOptions) {
    const hiddenSize = options.trunkFrom.hiddenSize;
    this.head = new ValueHead(hiddenSize, headInit(options.head));
    if (options.trunk === 'separate') this.trunk = options.trunkFrom.clone({ trainable: true });
  }

  get shared(): boolean {
    return this.trunk === undefined;
  }

  /** What the critic's optimizer updates: its trunk and head, or the head alone when shared. */
  get variables(): tf.Variable[] {
    const trunk = this.trunk === undefined ? [] : (this.trunk.hiddenStateVariables ?? this.trunk.trainableVariables);
    return [...trunk, ...this.head.variables];
  }

  /** Values V(s_j) before each continuation token, [B, T] (differentiable). */
  continuationValues(batch: ContinuationBatch): tf.Tensor2D {
    const trunk = this.trunk ?? this.options.trunkFrom;
    return this.head.values(trunk.scoreContinuations(batch).hidden);
  }

  /** Values [B, T] from hidden states the policy already computed (shared trunk). */
  valuesFromHidden(hidden: tf.Tensor3D): tf.Tensor2D {
    return this.head.values(hidden);
  }

  /** Head weights (and the separate trunk's, under their Hugging Face names), read asynchronously. */
  async getWeights(): Promise<WeightMap> {
    const [trunk, head] = await Promise.all([this.trunk?.getWeights(), this.head.getWeights()]);
    return new Map<string, HostTensor>([...(trunk ?? []), ...head]);
  }

  dispose(): void {
    this.head.dispose();
    this.trunk?.dispose();
  }
}

function headInit(head: CriticOptions['head']): ValueHeadInit | { weight: HostTensor; bias: HostTensor } | { copyOf: ValueHead } {
  if (head === undefined) return { kind: 'zeros' };
  if (!(head instanceof Map)) return head as ValueHeadInit | { copyOf: ValueHead };
  const weight = head.get(valueHeadWeightNames.weight);
  const bias = head.get(valueHeadWeightNames.bias);
  if (weight === undefined || bias === undefined) {
    throw new ModelFormatError({
      file: 'value head weights',
      message: `missing ${valueHeadWeightNames.weight} or ${valueHeadWeightNames.bias}`,
      hint: 'pass a fresh head initialisation instead of saved weights',
    });
  }
  return { weight, bias };
}
