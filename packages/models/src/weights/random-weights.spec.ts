import { randomWeightMap } from './random-weights';

describe('random weights', () => {
  const shapes = new Map<string, number[]>([
    ['model.layers.0.self_attn.q_proj.weight', [64, 64]],
    ['model.layers.0.input_layernorm.weight', [64]],
    ['transformer.h.0.ln_1.bias', [64]],
    ['transformer.ln_f.weight', [64]],
  ]);

  it('draws N(0, 0.02²) matrices, unit norm gains and zero biases', () => {
    const weights = randomWeightMap(shapes, { seed: 1 });
    const q = weights.get('model.layers.0.self_attn.q_proj.weight')?.data ?? new Float32Array();
    const mean = q.reduce((a, b) => a + b, 0) / q.length;
    const std = Math.sqrt(q.reduce((a, b) => a + (b - mean) ** 2, 0) / q.length);
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(std).toBeGreaterThan(0.018);
    expect(std).toBeLessThan(0.022);
    expect(Array.from(weights.get('model.layers.0.input_layernorm.weight')?.data ?? []).every((v) => v === 1)).toBe(true);
    expect(Array.from(weights.get('transformer.ln_f.weight')?.data ?? []).every((v) => v === 1)).toBe(true);
    expect(Array.from(weights.get('transformer.h.0.ln_1.bias')?.data ?? []).every((v) => v === 0)).toBe(true);
  });

  it('is the same for the same seed and differs for another', () => {
    const name = 'model.layers.0.self_attn.q_proj.weight';
    expect(randomWeightMap(shapes, { seed: 5 }).get(name)?.data).toEqual(randomWeightMap(shapes, { seed: 5 }).get(name)?.data);
    expect(randomWeightMap(shapes, { seed: 5 }).get(name)?.data).not.toEqual(randomWeightMap(shapes, { seed: 6 }).get(name)?.data);
  });
});
