import { aggrevatedPlan, ppoPlusPlusPlan } from '../algorithms/iteration-plan';
import { EOS, id, letterTokenizer, ScriptedGuide, scriptedPolicy, taskSample } from '../__fixtures__/tiny-models';
import { collectRollout, type RolloutRequest } from './collect-rollout';

const samples = [taskSample(0), taskSample(1)];
const request = (overrides: Partial<RolloutRequest>): RolloutRequest => ({
  plan: ppoPlusPlusPlan(0.6),
  iteration: 0,
  seed: 1,
  samples,
  promptIds: samples.map((s) => letterTokenizer.encode(s.prompt)),
  switchSteps: [0, 0],
  generationLength: 6,
  minNewTokens: 0,
  decoding: { strategy: 'sample' },
  generationBatchSize: 8,
  ...overrides,
});
const letters = (text: string) => text.split(' ').map(id);

describe('collectRollout', () => {
  it('PPO++: asks the guide for roll-ins that reach each switch step, and marks who wrote each token', async () => {
    const guide = new ScriptedGuide('g');
    const result = await collectRollout(request({ switchSteps: [3, 0] }), { policy: scriptedPolicy(letters('p p p p p p')), guide, tokenizer: letterTokenizer, eosTokenIds: [EOS] });
    expect(guide.requests).toHaveLength(1);
    expect(guide.requests[0]).toMatchObject({ maxNewTokens: 3, minNewTokens: [3] });
    expect(result.samples[0].tokens).toEqual(letters('g g g p p p'));
    expect(result.samples[0].writers).toEqual(['guide', 'guide', 'guide', 'policy', 'policy', 'policy']);
    expect(result.samples[0].switchStep).toBe(3);
    expect(result.samples[1].writers).toEqual(new Array(6).fill('policy'));
    expect(result.guideShort).toBe(0);
  });

  it('PPO++: a roll-in that ends before its switch step is counted, and leaves no policy token', async () => {
    // This guide ends after one token whatever the minimum says.
    const guide = new ScriptedGuide('g', 1);
    const result = await collectRollout(request({ switchSteps: [4, 0] }), { policy: scriptedPolicy(letters('p p p p p p')), guide, tokenizer: letterTokenizer, eosTokenIds: [EOS] });
    expect(result.guideShort).toBe(1);
    expect(result.samples[0].tokens).toEqual([id('g'), EOS]);
    expect(result.samples[0].writers).toEqual(['guide', 'guide']);
  });

  it("AggreVaTeD: the guide's roll-out may not end before the task's minimum length", async () => {
    const guide = new ScriptedGuide('g');
    const result = await collectRollout(request({ plan: aggrevatedPlan(0.8), switchSteps: [2, 0], minNewTokens: 5 }), {
      policy: scriptedPolicy(letters('p p p p p p')),
      guide,
      tokenizer: letterTokenizer,
      eosTokenIds: [EOS],
    });
    expect(guide.requests[0]).toMatchObject({ maxNewTokens: 6, minNewTokens: [3, 5] });
    expect(result.samples[0].writers).toEqual(['policy', 'policy', 'guide', 'guide', 'guide', 'guide']);
    expect(result.samples[1].writers).toEqual(new Array(6).fill('guide'));
    const shortGuide = new ScriptedGuide('g', 1);
    const short = await collectRollout(request({ plan: aggrevatedPlan(0.8), switchSteps: [2, 0], minNewTokens: 5 }), {
      policy: scriptedPolicy(letters('p p p p p p')),
      guide: shortGuide,
      tokenizer: letterTokenizer,
      eosTokenIds: [EOS],
    });
    // [p p g EOS] and [g EOS]: both shorter than 5.
    expect(short.guideShort).toBe(2);
  });

  it('AggreVaTeD: a roll-in that ended on any EOS id is not continued by the guide', async () => {
    const secondEos = id('z');
    const guide = new ScriptedGuide('g');
    const result = await collectRollout(request({ plan: aggrevatedPlan(0.8), switchSteps: [2, 2] }), {
      policy: scriptedPolicy([id('p'), secondEos, id('p')], [EOS, secondEos]),
      guide,
      tokenizer: letterTokenizer,
      eosTokenIds: [EOS, secondEos],
    });
    expect(guide.requests).toHaveLength(0);
    expect(result.samples.map((s) => s.tokens)).toEqual([[id('p'), secondEos], [id('p'), secondEos]]);
    expect(result.samples[0].writers).toEqual(['policy', 'policy']);
  });

  it("passes on what the guide's call cost, where the guide reports it", async () => {
    const usage = { requests: 3, cachedAnswers: 1, promptTokens: 40, completionTokens: 12 };
    const scripted = new ScriptedGuide('g');
    const guide = { ...scripted, id: 'metered', doGenerate: async (options: Parameters<ScriptedGuide['doGenerate']>[0]) => ({ ...(await scripted.doGenerate(options)), usage }) };
    const result = await collectRollout(request({ switchSteps: [2, 2] }), { policy: scriptedPolicy(letters('p p p p p p')), guide, tokenizer: letterTokenizer, eosTokenIds: [EOS] });
    expect(result.guideUsage).toEqual(usage);
    const unmetered = await collectRollout(request({ switchSteps: [2, 2] }), { policy: scriptedPolicy(letters('p p p p p p')), guide: scripted, tokenizer: letterTokenizer, eosTokenIds: [EOS] });
    expect(unmetered.guideUsage).toBeUndefined();
  });
});
