import { GuideUnavailableError } from '@rlgf/contracts';
import { rejectionOf, startCompletionServer, type CompletionReply, type CompletionServer } from '@rlgf/testing';
import { createTestGuide } from './__fixtures__/guide-harness';

const fast = { model: 'guide-model', retries: 2, backoffBaseMs: 100, backoffMaxMs: 1000, cache: false };

describe('chat-endpoint guide: what it sends, and replies that do each wrong thing', () => {
  let server: CompletionServer;
  beforeAll(async () => {
    server = await startCompletionServer();
  });
  afterAll(() => server.close());

  let runNumber = 0;
  /** Runs one sample whose server replies follow `replies` (the last repeats); reports what the guide and server did. */
  async function runOne(replies: readonly CompletionReply[], options: Record<string, unknown> = {}, prefixText?: string) {
    const promptText = `Sample ${runNumber++}: the film was`;
    server.setReply((request) => (request.prompt?.includes(promptText) ? replies[Math.min(request.attemptOfPrompt, replies.length - 1)] : { kind: 'complete' }));
    const { guide, clock, lines } = await createTestGuide({ endpointUrl: server.url, ...fast, ...options });
    const result = await guide.doGenerate({ inputs: [{ promptText, prefixText }], maxNewTokens: 6, minNewTokens: 2, seed: 1 });
    const requests = server.requests.filter((request) => request.prompt?.includes(promptText));
    return { output: result.outputs[0], usage: result.usage, requests, sleeps: clock.sleeps, stats: guide.stats, lines };
  }

  it('sends the text in a user message with the instruction as system message, the seed, max_tokens and min_tokens', async () => {
    const run = await runOne([{ kind: 'complete', text: 'great fun.' }], { instruction: 'Continue the review.' }, ' really');
    expect(run.output).toEqual({ status: 'ok', text: ' great fun.' });
    expect(run.requests).toHaveLength(1);
    const [request] = run.requests;
    expect(request.url).toBe('/v1/chat/completions');
    expect(request.body).toEqual({
      model: 'guide-model',
      messages: [
        { role: 'system', content: 'Continue the review.' },
        { role: 'user', content: expect.stringMatching(/^Continue the following text\. .*\n\nText:\nSample \d+: the film was really$/s) },
      ],
      max_tokens: 6,
      min_tokens: 2,
      temperature: 1,
      seed: expect.any(Number),
    });
    // Words of the messages and of the reply: the fault server's token count.
    expect(run.usage).toEqual({ requests: 1, cachedAnswers: 0, promptTokens: expect.any(Number), completionTokens: 2 });
  });

  it('with prefill sends the text as the assistant\'s reply to continue (vLLM continue_final_message) and keeps the answer as is', async () => {
    const run = await runOne([{ kind: 'complete', text: ' great fun' }], { prefill: true, sendMinTokens: false, topP: 0.9, temperature: 0.7 });
    expect(run.output).toEqual({ status: 'ok', text: ' great fun' });
    const body = run.requests[0].body ?? {};
    expect(body.messages).toEqual([
      { role: 'system', content: expect.any(String) },
      { role: 'user', content: 'Continue the text.' },
      { role: 'assistant', content: expect.stringMatching(/^Sample \d+: the film was$/) },
    ]);
    expect(body).toMatchObject({ continue_final_message: true, add_generation_prompt: false, top_p: 0.9, temperature: 0.7 });
    expect(body.min_tokens).toBeUndefined();
  });

  it.each<[string, string, string]>([
    ['restates the text', 'Sample ? the film was truly great', ' truly great'],
    ['opens with chat boilerplate', 'Sure! Here is the continuation:\n\ntruly great', ' truly great'],
    ['quotes its answer and says goodbye', '"truly great"\n\nI hope this helps!', ' truly great'],
  ])('cleans a reply that %s', async (_name, reply, expected) => {
    const run = await runOne([{ kind: 'complete', text: reply.replace('Sample ?', `Sample ${runNumber}:`) }]);
    expect(run.output).toEqual({ status: 'ok', text: expected });
  });

  it.each<[string, CompletionReply, RegExp, number]>([
    ['no text (content null)', { kind: 'no-text' }, /^malformed response: the reply has no text: choices\[0\]\.message\.content is null \(after 1 attempt\)$/, 1],
    ['no choices', { kind: 'no-choices' }, /^malformed response: expected \{choices: \[\{message: \{content\}\}\]\}, got no choices \(after 1 attempt\)$/, 1],
    ['an HTML page', { kind: 'wrong-content-type' }, /^malformed response: content type text\/html; charset=utf-8, expected application\/json \(after 1 attempt\)$/, 1],
    ['a body cut mid-JSON', { kind: 'truncated-json' }, /^malformed response \(not valid JSON\): .* \(after 3 attempts\)$/, 3],
    ['a body cut mid-stream', { kind: 'cut-mid-body' }, /^network error: .* \(after 3 attempts\)$/, 3],
    ['HTTP 401', { kind: 'status', status: 401, message: 'Invalid API key' }, /^HTTP 401 \(request refused\): Failed to perform inference: Invalid API key \(after 1 attempt\)$/, 1],
    [
      'an unknown model (OpenAI\'s error body)',
      { kind: 'raw', status: 404, contentType: 'application/json', body: '{"error":{"message":"The model `gpt-9` does not exist","type":"invalid_request_error","code":"model_not_found"}}' },
      /^HTTP 404 \(request refused\): The model `gpt-9` does not exist \(after 1 attempt\)$/,
      1,
    ],
    [
      'an unknown model (vLLM\'s error body)',
      { kind: 'raw', status: 404, contentType: 'application/json', body: '{"object":"error","message":"The model `gpt-9` does not exist.","type":"NotFoundError","code":404}' },
      /^HTTP 404 \(request refused\): Failed to perform inference: The model `gpt-9` does not exist\. \(after 1 attempt\)$/,
      1,
    ],
  ])('turns a reply with %s into a one-line failed output, retried only when worth it', async (_name, fault, reason, requests) => {
    const run = await runOne([fault]);
    expect(run.output).toEqual({ status: 'failed', reason: expect.stringMatching(reason) });
    expect(run.requests).toHaveLength(requests);
    expect(run.usage).toMatchObject({ requests, promptTokens: 0, completionTokens: 0 });
    expect(run.lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([expect.stringMatching(/^chat-endpoint guide: 1 of 1 samples failed/)]);
  });

  it('recovers from a cut body, a 503 and a 429 with Retry-After, with backoff', async () => {
    const run = await runOne([{ kind: 'cut-mid-body' }, { kind: 'status', status: 503 }, { kind: 'complete', text: 'fine' }], { retries: 3 });
    expect(run.output).toEqual({ status: 'ok', text: ' fine' });
    expect(run.requests).toHaveLength(3);
    const limited = await runOne([{ kind: 'status', status: 429, retryAfter: '2' }, { kind: 'complete', text: 'fine' }]);
    expect([limited.output.status, limited.sleeps]).toEqual(['ok', [2000]]);
  });

  it('counts an estimate when the server reports no usage, and says so once', async () => {
    const run = await runOne([{ kind: 'complete', text: 'abcdefgh', usage: null }]);
    expect(run.output.status).toBe('ok');
    expect(run.usage?.completionTokens).toBe(2);
    expect(run.lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([expect.stringContaining('reports no `usage`')]);
  });

  it('throws GuideUnavailableError in one line with onUnavailable: "fail"', async () => {
    server.setReply(() => ({ kind: 'status', status: 401, message: 'Invalid API key' }));
    const { guide } = await createTestGuide({ endpointUrl: server.url, ...fast, onUnavailable: 'fail' });
    const error = await rejectionOf<GuideUnavailableError>(guide.doGenerate({ inputs: [{ promptText: 'a' }, { promptText: 'b' }], maxNewTokens: 4, seed: 5 }));
    expect(GuideUnavailableError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(new RegExp(`^chat guide ${server.url} \\(model guide-model\\) is unavailable: sample \\d of 2 failed: HTTP 401 .*Invalid API key \\(after 1 attempt\\)$`));
    expect(error.hint).toMatch(/check the API key/);
  });
});
