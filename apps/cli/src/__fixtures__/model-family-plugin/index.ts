import type { RlgfPluginV1 } from '@rlgf/contracts';
import { llamaArchitecture, MODEL_FAMILY } from '@rlgf/models';

// A model family that lives outside packages/models: Llama's network under a `model_type` of its
// own. It proves a plugin a recipe names can add a family that every loader of the run resolves
// (policy, reference, critic, a local guide) with no edit to the models package.
export const plugin: RlgfPluginV1 = {
  specificationVersion: 'v1',
  id: 'rlgf-model-family-fixture',
  version: '1.0.0',
  kind: 'bundle',
  description: 'a model family kept in a fixture folder',
  register(container) {
    container.register(MODEL_FAMILY, { useValue: { ...llamaArchitecture, modelTypes: ['rlgf-test-llama'], architectures: ['RlgfTestLlamaForCausalLM'] } });
  },
};
