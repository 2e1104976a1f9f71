/** The TensorFlow.js backends a model can run on. */
export const backendNames = ['wasm', 'cpu', 'webgpu', 'tensorflow', 'tensorflow-gpu'] as const;

export type BackendName = (typeof backendNames)[number];

export function isBackendName(value: string): value is BackendName {
  return (backendNames as readonly string[]).includes(value);
}
