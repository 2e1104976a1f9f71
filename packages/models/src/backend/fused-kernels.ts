import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { cachedAttentionRows, rmsNormRows, swiGluRows } from './fused-math';
import { llamaLayerCpu, llamaLayerWasm } from './llama-layer-kernel';
import { llamaStepWasm } from './llama-step-kernel';
import { heapOffset, scratchBlock, simdKernels, type SimdKernels } from './simd/simd-module';
import type { CpuBackendLike, KernelArgs } from './kernel-types';

/** Kernel names of this package's fused inference ops (see nn/fused-ops.ts). */
export const fusedKernelNames = { rmsNorm: 'RlgfRmsNorm', swiGlu: 'RlgfSwiGlu', cachedAttention: 'RlgfCachedAttention', llamaLayer: 'RlgfLlamaLayer' } as const;

/**
 * Kernels only the wasm backend has: a whole Llama decoding step in one call (`RlgfLlamaStep`,
 * backend/llama-step-kernel.ts), where per-kernel overhead is most of a small batch's step.
 */
export const wasmStepKernelName = 'RlgfLlamaStep';

const attr = (args: KernelArgs, name: string) => Number(args.attrs?.[name]);

/** Attributes of RlgfCachedAttention, and its output shape. */
function attentionShape(args: KernelArgs) {
  const keys = args.inputs['keys'] as tf.TensorInfo;
  const [batch, kvHeads, capacity, headDim] = keys.shape;
  const rows = (args.inputs['qkv'] as tf.TensorInfo).shape[0];
  const heads = attr(args, 'heads');
  return { batch, steps: rows / batch, heads, kvHeads, headDim, capacity, start: attr(args, 'start'), outShape: [rows, heads * headDim] };
}

function wasmKernels(kernels: SimdKernels) {
  const at = (args: KernelArgs, name: string) => heapOffset(args.backend as BackendWasm, args.inputs[name] as tf.TensorInfo);
  return {
    rmsNorm(args: KernelArgs) {
      const x = args.inputs['x'] as tf.TensorInfo;
      const out = (args.backend as BackendWasm).makeOutput([...x.shape], 'float32');
      const cols = x.shape[x.shape.length - 1];
      kernels.rms_norm(at(args, 'x'), at(args, 'weight'), heapOffset(args.backend as BackendWasm, out), tf.util.sizeFromShape(x.shape) / cols, cols, attr(args, 'eps'));
      return out;
    },
    swiGlu(args: KernelArgs) {
      const gateUp = args.inputs['gateUp'] as tf.TensorInfo;
      const [rows, width] = gateUp.shape;
      const out = (args.backend as BackendWasm).makeOutput([rows, width / 2], 'float32');
      kernels.swiglu(at(args, 'gateUp'), heapOffset(args.backend as BackendWasm, out), rows, width / 2);
      return out;
    },
    cachedAttention(args: KernelArgs) {
      const backend = args.backend as BackendWasm;
      const s = attentionShape(args);
      const out = backend.makeOutput(s.outShape, 'float32');
      const scratch = scratchBlock(backend, Math.max(kernels.batch_matmul_scratch(), s.capacity + s.headDim) * 4);
      const rotary = args.inputs['cos'] !== undefined;
      kernels.cached_attention(
        at(args, 'qkv'),
        at(args, 'positions'),
        rotary ? at(args, 'cos') : 0,
        rotary ? at(args, 'sin') : 0,
        at(args, 'keys'),
        at(args, 'values'),
        at(args, 'bias'),
        heapOffset(backend, out),
        s.batch,
        s.steps,
        s.heads,
        s.kvHeads,
        s.headDim,
        s.capacity,
        s.start,
        scratch,
      );
      return out;
    },
    llamaLayer: llamaLayerWasm(kernels),
  };
}

const cpuKernels = {
  rmsNorm(args: KernelArgs) {
    const backend = args.backend as CpuBackendLike;
    const x = args.inputs['x'] as tf.TensorInfo;
    const cols = x.shape[x.shape.length - 1];
    const values = backend.data.get(x.dataId).values as Float32Array;
    const out = new Float32Array(values.length);
    rmsNormRows(values, backend.data.get((args.inputs['weight'] as tf.TensorInfo).dataId).values as Float32Array, out, values.length / cols, cols, attr(args, 'eps'));
    return backend.makeTensorInfo([...x.shape], 'float32', out);
  },
  swiGlu(args: KernelArgs) {
    const backend = args.backend as CpuBackendLike;
    const gateUp = args.inputs['gateUp'] as tf.TensorInfo;
    const [rows, width] = gateUp.shape;
    const out = new Float32Array((rows * width) / 2);
    swiGluRows(backend.data.get(gateUp.dataId).values as Float32Array, out, rows, width / 2);
    return backend.makeTensorInfo([rows, width / 2], 'float32', out);
  },
  cachedAttention(args: KernelArgs) {
    const backend = args.backend as CpuBackendLike;
    const values = (name: string) => backend.data.get((args.inputs[name] as tf.TensorInfo).dataId).values as Float32Array;
    const s = attentionShape(args);
    const out = new Float32Array(tf.util.sizeFromShape(s.outShape));
    cachedAttentionRows(s, {
      qkv: values('qkv'),
      positions: values('positions') as unknown as Int32Array,
      rotary: args.inputs['cos'] === undefined ? undefined : { cos: values('cos'), sin: values('sin') },
      keys: values('keys'),
      values: values('values'),
      bias: values('bias'),
      out,
    });
    return backend.makeTensorInfo(s.outShape, 'float32', out);
  },
  llamaLayer: llamaLayerCpu,
};

/**
 * Registers the fused inference kernels for `backend` (wasm: SIMD code on the tfjs heap; cpu:
 * TypeScript on its arrays); other backends have none and run the ops' composites. Idempotent;
 * on wasm a no-op where the SIMD module cannot load.
 */
export function registerFusedKernels(backend: 'wasm' | 'cpu'): void {
  let kernels: Record<keyof typeof fusedKernelNames, (args: KernelArgs) => tf.TensorInfo>;
  if (backend === 'wasm') {
    const simd = simdKernels(tf.findBackend('wasm') as BackendWasm);
    if (simd === undefined) return;
    kernels = wasmKernels(simd);
  } else {
    kernels = cpuKernels;
  }
  for (const [key, kernelName] of Object.entries(fusedKernelNames) as [keyof typeof fusedKernelNames, string][]) {
    if (tf.getKernel(kernelName, backend) !== undefined) continue;
    tf.registerKernel({ kernelName, backendName: backend, kernelFunc: kernels[key] as unknown as tf.KernelFunc });
  }
  const simd = backend === 'wasm' ? simdKernels(tf.findBackend('wasm') as BackendWasm) : undefined;
  if (simd !== undefined && tf.getKernel(wasmStepKernelName, 'wasm') === undefined) {
    tf.registerKernel({ kernelName: wasmStepKernelName, backendName: 'wasm', kernelFunc: llamaStepWasm(simd) as unknown as tf.KernelFunc });
  }
}

/** True when `name` has a fused kernel on the active backend. */
export function hasFusedKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}
