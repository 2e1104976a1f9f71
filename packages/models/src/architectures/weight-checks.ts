import { ModelFormatError } from '@rlgf/contracts';
import type { HostTensor, WeightMap } from '../weights/weight-map';

/** The weight `name` of `weights`, checked against the shape the config implies. */
export function requireWeight(weights: WeightMap, name: string, shape: readonly number[]): HostTensor {
  const tensor = weights.get(name);
  if (tensor === undefined) {
    throw new ModelFormatError({
      file: 'model weights',
      message: `missing tensor ${name}`,
      hint: 'the checkpoint does not match its config.json (architecture, layer count or weight tying)',
    });
  }
  const expected = shape.join('x');
  if (tensor.shape.join('x') !== expected || tensor.data.length !== shape.reduce((a, b) => a * b, 1)) {
    throw new ModelFormatError({
      file: 'model weights',
      message: `tensor ${name} has shape [${tensor.shape.join(', ')}], config.json implies [${shape.join(', ')}]`,
      hint: 'the checkpoint does not match its config.json',
    });
  }
  return tensor;
}

/**
 * The one-line warning for tensors a checkpoint lacks and the loader starts at zero, worded as
 * transformers words it ("Some weights of … were not initialized from the model checkpoint … and
 * are newly initialized: [...]"), so the cause of an odd first result is in the log.
 */
export function newlyInitializedWarning(names: readonly string[]): string {
  return `some weights were not initialized from the model checkpoint and are newly initialized (at zero): [${names.join(', ')}]`;
}
