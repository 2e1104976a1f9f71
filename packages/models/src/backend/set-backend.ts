import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import './gradients';
import { setWasmPaths, type BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BackendError, InvalidArgumentError } from '@rlgf/contracts';
import { registerSimdBatchMatMul } from './batch-matmul-kernel';
import { registerFusedKernels } from './fused-kernels';
import { backendNames, isBackendName, type BackendName } from './backend-name';
import { registerSharedIdentity } from './identity-kernel';
import { registerSegmentSum } from './segment-sum-kernel';
import { locateWasmDirectory } from './wasm-paths';
import { installWebGpu, webGpuAdapterHint } from './webgpu-runtime';

const nodePackages: Record<'tensorflow' | 'tensorflow-gpu', string> = {
  tensorflow: '@tensorflow/tfjs-node',
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
};

let wasmPathsSet = false;

async function prepareWasm(): Promise<void> {
  if (!wasmPathsSet) {
    const folder = locateWasmDirectory();
    if (folder !== undefined) setWasmPaths(folder);
    wasmPathsSet = true;
  }
  registerSegmentSum('wasm');
  registerSharedIdentity();
}

async function prepareNode(name: 'tensorflow' | 'tensorflow-gpu'): Promise<void> {
  const specifier = nodePackages[name];
  try {
    await import(specifier);
  } catch (cause) {
    throw new BackendError({
      backend: name,
      message: `${specifier} is not installed or failed to load`,
      hint: `install it next to @rlgf/models (npm install ${specifier}@4.22.0; it needs libtensorflow${
        name === 'tensorflow-gpu' ? ' and CUDA' : ''
      }), or pick --backend wasm`,
      cause,
    });
  }
}

async function prepareWebGpu(): Promise<void> {
  try {
    await installWebGpu();
    await import('@tensorflow/tfjs-backend-webgpu');
  } catch (cause) {
    throw new BackendError({ backend: 'webgpu', message: cause instanceof Error ? cause.message : String(cause), hint: webGpuAdapterHint, cause });
  }
}

/**
 * Makes `name` the active TensorFlow.js backend and waits until it is ready. `wasm` (the default
 * of this project) runs from the binaries inside its npm package, offline; `tensorflow` and
 * `tensorflow-gpu` load `@tensorflow/tfjs-node(-gpu)` only when chosen; `webgpu` runs
 * `@tensorflow/tfjs-backend-webgpu` on Dawn (the `webgpu` npm package) and needs a WebGPU adapter
 * (a GPU's Vulkan driver, or Mesa's lavapipe on a CPU).
 */
export async function setBackend(name: BackendName | string): Promise<void> {
  if (!isBackendName(name)) {
    throw new InvalidArgumentError({ argument: 'backend', value: name, expected: `one of ${backendNames.join(', ')}` });
  }
  if (name === 'wasm') await prepareWasm();
  if (name === 'tensorflow' || name === 'tensorflow-gpu') await prepareNode(name);
  if (name === 'webgpu') await prepareWebGpu();
  const engineName = name === 'tensorflow' || name === 'tensorflow-gpu' ? 'tensorflow' : name;
  const ok = await tf.setBackend(engineName);
  if (!ok) {
    throw new BackendError({ backend: name, message: 'failed to initialise', hint: 'run with --backend cpu to fall back to pure JavaScript' });
  }
  await tf.ready();
  if (name === 'wasm') {
    registerSimdBatchMatMul(tf.backend() as BackendWasm);
    registerFusedKernels('wasm');
  }
  if (name === 'cpu') {
    registerSegmentSum('cpu');
    registerFusedKernels('cpu');
    quietCpuAdvice();
  }
}

/**
 * The cpu backend prints advice to install tfjs-node on its first tensor; a user who picked cpu
 * here (tfjs-node cannot install everywhere) has already made that choice.
 */
function quietCpuAdvice(): void {
  const backend = tf.backend() as unknown as { firstUse?: boolean };
  if (backend.firstUse === true) backend.firstUse = false;
}

/** The active backend's name as this package spells it. */
export function activeBackend(): string {
  return tf.getBackend();
}
