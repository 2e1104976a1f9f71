import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapOffset, scratchBlock, type SimdKernels } from './simd/simd-module';
import type { KernelArgs } from './kernel-types';

/** Per-layer input names of RlgfLlamaStep (`layers.<i>.<name>`), in the order of simd/kernels.c's table. */
export const stepLayerInputs = ['inputNorm', 'qkv', 'o', 'postNorm', 'gateUp', 'down', 'keys', 'values'] as const;

/** A wasm heap view over `length` int32 at `offset` (made afresh: the heap grows). */
function heapInts(backend: BackendWasm, offset: number, length: number): Int32Array {
  return new Int32Array((backend as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer, offset, length);
}

/**
 * RlgfLlamaStep on wasm: a whole decoding step (embedding, every layer, final norm, head) as one
 * call of simd/kernels.c's `llama_step`. Inputs: `ids` [B, 1] int32, `positions` [B, 1], `cos`, `sin`,
 * `bias`, `head` [hidden, V], `norm`, `embed` (absent when tied to the head) and, per layer,
 * `layers.<i>.<name>` for every name of {@link stepLayerInputs}. Attributes: `layers`, `heads`,
 * `start`, `eps`. Outputs: logits [B, 1, V] and the normed hidden states [B, 1, hidden], as a forward pass returns them.
 */
export function llamaStepWasm(kernels: SimdKernels) {
  return (args: KernelArgs): tf.TensorInfo[] => {
    const backend = args.backend as BackendWasm;
    const input = (name: string) => args.inputs[name] as tf.TensorInfo;
    const layers = Number(args.attrs?.['layers']);
    const heads = Number(args.attrs?.['heads']);
    const [batch, kvHeads, capacity, headDim] = input('layers.0.keys').shape;
    const [hidden, vocab] = input('head').shape;
    // The kernel indexes the embedding by these ids unchecked: check them as GatherV2 would (a
    // read of the heap costs nothing on wasm).
    const ids = input('ids');
    if (ids.dtype !== 'int32') throw new Error(`RlgfLlamaStep: ids must be int32, got ${ids.dtype}`);
    const idValues = backend.readSync(ids.dataId) as Int32Array;
    const outside = idValues.find((id) => id < 0 || id >= vocab);
    if (outside !== undefined) throw new Error(`RlgfLlamaStep: token id ${outside} is not in [0, ${vocab - 1}]`);
    const inner = input('layers.0.gateUp').shape[1] / 2;
    const logits = backend.makeOutput([batch, 1, vocab], 'float32');
    const normed = backend.makeOutput([batch, 1, hidden], 'float32');
    // The table first, rounded to 64 bytes so the floats after it start on a cache line.
    const tableBytes = Math.ceil((layers * stepLayerInputs.length * 4) / 64) * 64;
    const scratch = scratchBlock(backend, tableBytes + kernels.llama_step_scratch(batch, hidden, heads, kvHeads, headDim, inner, capacity) * 4);
    // Offsets are taken after every allocation above; the table view last (allocations grow the heap).
    const at = (name: string) => heapOffset(backend, input(name));
    const table = Array.from({ length: layers }, (_, layer) => stepLayerInputs.map((name) => at(`layers.${layer}.${name}`))).flat();
    heapInts(backend, scratch, table.length).set(table);
    kernels.llama_step(
      at('ids'),
      args.inputs['embed'] === undefined ? 0 : at('embed'),
      at('head'),
      at('norm'),
      scratch,
      layers,
      at('positions'),
      at('cos'),
      at('sin'),
      at('bias'),
      heapOffset(backend, normed),
      heapOffset(backend, logits),
      batch,
      hidden,
      heads,
      kvHeads,
      headDim,
      inner,
      capacity,
      vocab,
      Number(args.attrs?.['start']),
      Number(args.attrs?.['eps']),
      scratch + tableBytes,
    );
    return [logits, normed];
  };
}
