import type * as tf from '@tensorflow/tfjs-core';

/** What TensorFlow.js passes a registered kernel function. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** The part of the cpu backend our kernels use: typed arrays behind tensors, new outputs. */
export interface CpuBackendLike {
  readonly data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.TypedArray): tf.TensorInfo;
}
