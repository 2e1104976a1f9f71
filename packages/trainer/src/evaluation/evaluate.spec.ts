import { describeTimings } from './evaluate';

describe('describeTimings', () => {
  it('says where an evaluation spent its time, in seconds, metric by metric in their order', () => {
    expect(describeTimings({ generationMs: 2160, rewardsMs: 49, metricsMs: { perplexity: 31_260, 'output-perplexity': 18_000, diversity: 120 } })).toBe(
      'generation 2.2 s, rewards 0.0 s, perplexity 31.3 s, output-perplexity 18.0 s, diversity 0.1 s',
    );
    expect(describeTimings({ generationMs: 0, rewardsMs: 0, metricsMs: {} })).toBe('generation 0.0 s, rewards 0.0 s');
  });
});
