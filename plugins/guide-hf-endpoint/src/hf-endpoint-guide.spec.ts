import { InvalidArgumentError } from '@rlgf/contracts';
import { deriveSeed } from '@rlgf/core';
import { describeGuideContract, echoContinuation, startCompletionServer, type CompletionServer } from '@rlgf/testing';
import { createTestGuide } from './__fixtures__/guide-harness';

describe('hf-endpoint guide: requests and text', () => {
  let server: CompletionServer;
  beforeAll(async () => {
    server = await startCompletionServer();
  });
  afterAll(() => server.close());
  beforeEach(() => server.setReply(() => ({ kind: 'complete' })));

  const lastRequest = () => server.requests[server.requests.length - 1];

  it('sends an OpenAI completions request to <endpointUrl>/v1/completions with the bearer token', async () => {
    const { guide } = await createTestGuide({ endpointUrl: server.url, model: 'gpt2-imdb', token: 'hf_abc' });
    const before = server.requests.length;
    const result = await guide.doGenerate({ inputs: [{ promptText: 'The film' }, { promptText: 'The film' }], maxNewTokens: 5, seed: 11 });
    const sent = server.requests.slice(before).sort((a, b) => Number(a.body?.seed) - Number(b.body?.seed));
    expect(sent).toHaveLength(2);
    const seeds = [deriveSeed(11, 'hf-endpoint', 0), deriveSeed(11, 'hf-endpoint', 1)].sort((a, b) => a - b);
    sent.forEach((request, i) => {
      expect([request.method, request.url]).toEqual(['POST', '/v1/completions']);
      expect(request.headers.authorization).toBe('Bearer hf_abc');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.body).toEqual({ model: 'gpt2-imdb', prompt: 'The film', max_tokens: 5, top_p: 0.92, temperature: 1, seed: seeds[i] });
    });
    // Equal prompts get different seeds, so a server that honours seeds still samples them apart.
    expect(result.outputs.map((output) => output.status === 'ok' && output.text).sort()).toEqual(seeds.map((seed) => echoContinuation('The film', seed, 5)).sort());
  });

  it('sends the decoding options, caps the budget, and names the model "tgi" unless told otherwise', async () => {
    const { guide } = await createTestGuide({ endpointUrl: `${server.url}/v1`, topP: 0.5, temperature: 0.7, maxNewTokens: 3 });
    await guide.doGenerate({ inputs: [{ promptText: 'x' }], maxNewTokens: 48, seed: 1 });
    expect(lastRequest().url).toBe('/v1/completions');
    expect(lastRequest().body).toMatchObject({ model: 'tgi', max_tokens: 3, top_p: 0.5, temperature: 0.7 });
    // TGI refuses top_p = 1 (it must be < 1), so "no nucleus filter" is sent as no top_p at all.
    const { guide: unfiltered } = await createTestGuide({ endpointUrl: server.url, topP: 1, temperature: 0 });
    await unfiltered.doGenerate({ inputs: [{ promptText: 'x' }], maxNewTokens: 2, seed: 1 });
    expect(lastRequest().body).not.toHaveProperty('top_p');
    expect(lastRequest().body).toMatchObject({ temperature: 0 });
    await guide.doGenerate({ inputs: [{ promptText: 'x' }], maxNewTokens: 2, seed: 1 });
    expect(lastRequest().body?.max_tokens).toBe(2);
    const { guide: full } = await createTestGuide({ endpointUrl: `${server.url}/v1/completions/` });
    await full.doGenerate({ inputs: [{ promptText: 'x' }], maxNewTokens: 2, seed: 1 });
    expect(lastRequest().url).toBe('/v1/completions');
  });

  it("sends the minimum length as vLLM's min_tokens, per input and capped at the budget, and nothing when it is 0", async () => {
    const { guide } = await createTestGuide({ endpointUrl: server.url, maxNewTokens: 6 });
    const before = server.requests.length;
    await guide.doGenerate({ inputs: [{ promptText: 'a' }, { promptText: 'b' }, { promptText: 'c' }], maxNewTokens: 10, minNewTokens: [0, 4, 9], seed: 1 });
    const byPrompt = Object.fromEntries(server.requests.slice(before).map((request) => [String(request.body?.prompt), request.body]));
    expect(byPrompt.a).not.toHaveProperty('min_tokens');
    expect(byPrompt.b).toMatchObject({ min_tokens: 4, max_tokens: 6 });
    expect(byPrompt.c).toMatchObject({ min_tokens: 6, max_tokens: 6 });
    await guide.doGenerate({ inputs: [{ promptText: 'd' }], maxNewTokens: 5, minNewTokens: 3, seed: 1 });
    expect(lastRequest().body).toMatchObject({ min_tokens: 3, max_tokens: 5 });
  });

  it('takes the token from $HF_TOKEN by default, from a named variable, or sends none when token is null', async () => {
    const env = { HF_TOKEN: 'hf_default', OTHER_TOKEN: 'hf_other' };
    const authorizationWith = async (options: Record<string, unknown>) => {
      const { guide } = await createTestGuide({ endpointUrl: server.url, ...options }, { env });
      await guide.doGenerate({ inputs: [{ promptText: 'x' }], maxNewTokens: 1, seed: 1 });
      return lastRequest().headers.authorization;
    };
    expect(await authorizationWith({})).toBe('Bearer hf_default');
    expect(await authorizationWith({ token: { env: 'OTHER_TOKEN' } })).toBe('Bearer hf_other');
    expect(await authorizationWith({ token: null })).toBeUndefined();
    const { guide } = await createTestGuide({ endpointUrl: server.url });
    await guide.doGenerate({ inputs: [{ promptText: 'x' }], maxNewTokens: 1, seed: 1 });
    expect(lastRequest().headers.authorization).toBeUndefined();
  });

  describe('text at the prompt/prefix/continuation boundary', () => {
    // Each case: what the trainer passes, what the server generates; the guide must send
    // promptText + prefixText unchanged and return the generated text unchanged.
    const cases = [
      { name: 'no prefix', promptText: 'The film was', prefixText: undefined, generated: ' great fun' },
      { name: 'empty prefix', promptText: 'The film was', prefixText: '', generated: ' great fun' },
      { name: 'a prefix ending mid-word', promptText: 'The film was', prefixText: ' grea', generated: 't fun' },
      { name: 'a continuation starting with a space', promptText: 'The film was', prefixText: ' great', generated: ' and fun' },
      { name: 'a prefix ending with a space', promptText: 'The film was', prefixText: ' great ', generated: 'and fun' },
      { name: 'a continuation starting with a newline', promptText: 'Title:', prefixText: ' Up', generated: '\n\nA story' },
      { name: 'a word split inside non-ASCII text', promptText: 'Un', prefixText: ' caf', generated: 'é au lait 🙂' },
      { name: 'an empty continuation (end of text at once)', promptText: 'The end.', prefixText: '', generated: '' },
    ];
    it.each(cases)('keeps $name exactly', async ({ promptText, prefixText, generated }) => {
      server.setReply(() => ({ kind: 'complete', text: generated }));
      const { guide } = await createTestGuide({ endpointUrl: server.url });
      const result = await guide.doGenerate({ inputs: [{ promptText, prefixText }], maxNewTokens: 8, seed: 3 });
      expect(lastRequest().prompt).toBe(promptText + (prefixText ?? ''));
      expect(result.outputs).toEqual([{ status: 'ok', text: generated }]);
    });
  });

  it('rejects a bad budget or input before sending anything', async () => {
    const { guide } = await createTestGuide({ endpointUrl: server.url });
    const before = server.requests.length;
    await expect(guide.doGenerate({ inputs: [{ promptText: 'x' }], maxNewTokens: 0, seed: 1 })).rejects.toThrow(InvalidArgumentError);
    await expect(guide.doGenerate({ inputs: [{ promptText: 'x' }, { promptText: 3 as unknown as string }], maxNewTokens: 4, seed: 1 })).rejects.toThrow(/inputs\[1\]\.promptText/);
    await expect(guide.doGenerate({ inputs: [{ promptText: 'x', prefixText: 5 as unknown as string }], maxNewTokens: 4, seed: 1 })).rejects.toThrow(/prefixText/);
    expect(server.requests.length).toBe(before);
  });
});

describe('hf-endpoint guide against a well-behaved server', () => {
  let server: CompletionServer;
  beforeAll(async () => {
    server = await startCompletionServer({ token: 'hf_contract' });
  });
  afterAll(() => server.close());

  // The loopback server derives its continuation from the seed, so the guide is seeded here.
  describeGuideContract(
    'hf-endpoint',
    async () => (await createTestGuide({ endpointUrl: server.url, token: { env: 'HF_TOKEN' } }, { env: { HF_TOKEN: 'hf_contract' } })).guide,
    { inputs: [{ promptText: 'I watched this film and' }, { promptText: 'The plot' }, { promptText: 'The plot', prefixText: ' was' }], maxNewTokens: 6, seeded: true },
  );
});
