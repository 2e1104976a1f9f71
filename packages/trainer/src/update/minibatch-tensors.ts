import type { ContinuationBatch, TrainableLanguageModel } from '@rlgf/models';
import * as tf from '@tensorflow/tfjs-core';
import type { ValueMinibatch } from '../critics/critic-access';
import type { TrainingBatch } from '../rollout/training-batch';

/** Device tensors of one minibatch (rows `rows` of a training batch); dispose when done. */
export interface MinibatchTensors {
  readonly sequences: ContinuationBatch;
  readonly references?: ContinuationBatch;
  readonly oldLogProbs: tf.Tensor2D;
  readonly referenceLogProbs: tf.Tensor2D;
  readonly oldValues: tf.Tensor2D;
  readonly advantages: tf.Tensor2D;
  readonly returns: tf.Tensor2D;
  readonly policyMask: tf.Tensor2D;
  readonly valueMask: tf.Tensor2D;
  readonly referenceMask: tf.Tensor2D;
  readonly hasPolicyTokens: boolean;
  readonly hasValueTokens: boolean;
  dispose(): void;
}

export function minibatchTensors(batch: TrainingBatch, rows: readonly number[], model: TrainableLanguageModel, withReferences: boolean): MinibatchTensors {
  const pick = (table: readonly (readonly number[])[]) => tf.tensor2d(rows.map((i) => [...table[i]]), [rows.length, batch.width]);
  const sequences = model.continuationBatch(rows.map((i) => batch.rows[i]), batch.width);
  const references = withReferences ? model.continuationBatch(rows.map((i) => batch.references.rows[i]), batch.width) : undefined;
  const tensors = {
    oldLogProbs: pick(batch.oldLogProbs),
    referenceLogProbs: pick(batch.referenceLogProbs),
    oldValues: pick(batch.oldValues),
    advantages: pick(batch.advantages),
    returns: pick(batch.returns),
    policyMask: pick(batch.policyMask),
    valueMask: pick(batch.valueMask),
    referenceMask: pick(batch.references.mask),
  };
  const any = (table: readonly (readonly number[])[]) => rows.some((i) => table[i].some((m) => m > 0));
  return {
    sequences,
    references,
    ...tensors,
    hasPolicyTokens: any(batch.policyMask),
    hasValueTokens: any(batch.valueMask),
    dispose() {
      sequences.dispose();
      references?.dispose();
      tf.dispose(Object.values(tensors));
    },
  };
}

/** The host data of a value step on rows `rows` of a training batch (for a critic on any thread). */
export function valueMinibatch(batch: TrainingBatch, rows: readonly number[]): ValueMinibatch {
  return {
    rows: rows.map((i) => batch.rows[i]),
    width: batch.width,
    oldValues: rows.map((i) => batch.oldValues[i]),
    returns: rows.map((i) => batch.returns[i]),
    valueMask: rows.map((i) => batch.valueMask[i]),
  };
}
