import type { TaskV1 } from '@rlgf/contracts';
import { recipeSchema } from '@rlgf/recipe';
import { generationLength } from './generation-length';

const task = { generation: { maxNewTokens: 48, minNewTokens: 48, evalDecoding: { strategy: 'greedy' } } } as unknown as TaskV1;
const recipe = (rollout: Record<string, unknown>) => recipeSchema.parse({ task: 't', policy: { model: 'm' }, rollout });

describe('generationLength', () => {
  it("takes the task's lengths, the recipe's where it sets them, and caps the task's minimum at a shorter maximum", () => {
    expect(generationLength(recipe({}), task)).toEqual({ maxNewTokens: 48, minNewTokens: 48 });
    expect(generationLength(recipe({ maxNewTokens: 16 }), task)).toEqual({ maxNewTokens: 16, minNewTokens: 16 });
    expect(generationLength(recipe({ maxNewTokens: 16, minNewTokens: 4 }), task)).toEqual({ maxNewTokens: 16, minNewTokens: 4 });
    expect(generationLength(recipe({ minNewTokens: 0 }), task)).toEqual({ maxNewTokens: 48, minNewTokens: 0 });
  });
});
