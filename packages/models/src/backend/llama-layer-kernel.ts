import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { llamaLayerRows } from './llama-layer-math';
import { heapOffset, scratchBlock, type SimdKernels } from './simd/simd-module';
import type { CpuBackendLike, KernelArgs } from './kernel-types';

/** Input names of RlgfLlamaLayer, in the order simd/kernels.c's `llama_layer` takes them. */
const inputOrder = ['hidden', 'inputNorm', 'qkv', 'o', 'postNorm', 'gateUp', 'down', 'positions', 'cos', 'sin', 'keys', 'values', 'bias'] as const;

function layerShape(args: KernelArgs) {
  const input = (name: string) => args.inputs[name] as tf.TensorInfo;
  const [rows, hidden] = input('hidden').shape;
  const [batch, kvHeads, capacity, headDim] = input('keys').shape;
  return {
    batch,
    steps: rows / batch,
    hidden,
    heads: Number(args.attrs?.['heads']),
    kvHeads,
    headDim,
    inner: input('gateUp').shape[1] / 2,
    capacity,
    start: Number(args.attrs?.['start']),
    eps: Number(args.attrs?.['eps']),
  };
}

export function llamaLayerWasm(kernels: SimdKernels) {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const s = layerShape(args);
    const rows = s.batch * s.steps;
    const out = backend.makeOutput([rows, s.hidden], 'float32');
    const scratch = scratchBlock(backend, kernels.llama_layer_scratch(rows, s.hidden, s.heads, s.kvHeads, s.headDim, s.inner, s.capacity) * 4);
    const pointers = inputOrder.map((name) => heapOffset(backend, args.inputs[name] as tf.TensorInfo));
    kernels.llama_layer(...pointers, heapOffset(backend, out), s.batch, s.steps, s.hidden, s.heads, s.kvHeads, s.headDim, s.inner, s.capacity, s.start, s.eps, scratch);
    return out;
  };
}

export function llamaLayerCpu(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as CpuBackendLike;
  const values = (name: string) => backend.data.get((args.inputs[name] as tf.TensorInfo).dataId).values as Float32Array;
  const s = layerShape(args);
  const out = new Float32Array(s.batch * s.steps * s.hidden);
  llamaLayerRows(
    s,
    values('hidden'),
    { inputNorm: values('inputNorm'), qkv: values('qkv'), o: values('o'), postNorm: values('postNorm'), gateUp: values('gateUp'), down: values('down') },
    {
      positions: values('positions') as unknown as Int32Array,
      rotary: { cos: values('cos'), sin: values('sin') },
      keys: values('keys'),
      values: values('values'),
      bias: values('bias'),
    },
    out,
  );
  return backend.makeTensorInfo([s.batch * s.steps, s.hidden], 'float32', out);
}
