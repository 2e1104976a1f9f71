import { InferenceClient } from '@huggingface/inference';
import { createConsoleLogger } from '@rlgf/core';
import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import type { LanguageModelV1 } from '@rlgf/contracts';
import { loadLanguageModel, resolveModelReference, setBackend } from '@rlgf/models';
import { sharedHubMirror } from '@rlgf/testing';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { generateRows } from '../generation/generate-rows';
import type { GenerationRow } from '../generation/generation-row';
import { asServableModel, type ServableModel } from '../generation/servable-model';
import { startModelServer, type ModelServer } from './start-model-server';
import type { ModelServerOptions } from './server-settings';

const hub = createHubFiles({ ...hubSettingsFromEnv({}), mirrorDir: sharedHubMirror() });
const token = 'tok-secret-123';
let model: LanguageModelV1 & ServableModel;
let server: ModelServer;
let logLines: string[];

async function start(options: Partial<ModelServerOptions> = {}): Promise<ModelServer> {
  await server?.close();
  logLines = [];
  const logger = createConsoleLogger({ level: 'debug', write: (line) => logLines.push(line) });
  server = await startModelServer({ model, modelId: 'stories260K', logger, ...options });
  return server;
}

beforeAll(async () => {
  await setBackend('wasm');
  const dir = await resolveModelReference({ source: 'karpathy/tinyllamas/stories260K' }, { hub, cacheDir: await mkdtemp(join(tmpdir(), 'rlgf-serve-')) });
  model = asServableModel(await loadLanguageModel(dir, { hub, trainable: false }));
});
afterAll(async () => {
  await server?.close();
  model.dispose();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function json(response: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  expect(response.headers.get('content-type')).toBe('application/json');
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A promise the test resolves when it chooses, to hold a batch. */
function gate(): { held: Promise<void>; release: () => void } {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  return { held, release };
}

const completion = { prompt: 'Once upon a time', max_tokens: 10, temperature: 1, top_p: 0.92, seed: 11 };
const choiceText = (body: Record<string, unknown>) => (body.choices as { text: string }[])[0].text;

describe('rlgf serve routes', () => {
  beforeAll(() => start());

  it('answers POST /v1/completions as OpenAI does, with the text the model generates for that seed', async () => {
    const { status, body } = await json(await post('/v1/completions', { ...completion, model: 'tgi' }));
    expect(status).toBe(200);
    const [expected] = await generateRows(model, [
      { promptIds: model.tokenizer.encode(completion.prompt), maxNewTokens: 10, decoding: { strategy: 'sample', temperature: 1, topP: 0.92, topK: 0 }, seed: 11, stop: [] },
    ]);
    expect(body).toEqual({
      id: expect.any(String),
      object: 'text_completion',
      created: expect.any(Number),
      model: 'stories260K',
      choices: [{ index: 0, text: expected.text, logprobs: null, finish_reason: 'length' }],
      usage: { prompt_tokens: model.tokenizer.encode(completion.prompt).length, completion_tokens: 10, total_tokens: model.tokenizer.encode(completion.prompt).length + 10 },
    });
  });

  it('gives the same text for the same request and seed, another for another seed, one choice per prompt of a list', async () => {
    const again = choiceText((await json(await post('/v1/completions', completion))).body);
    expect(choiceText((await json(await post('/v1/completions', completion))).body)).toBe(again);
    expect(choiceText((await json(await post('/v1/completions', { ...completion, seed: 12 }))).body)).not.toBe(again);
    const listed = (await json(await post('/v1/completions', { ...completion, prompt: ['The dog', completion.prompt] }))).body;
    expect((listed.choices as { index: number; text: string }[]).map((choice) => choice.index)).toEqual([0, 1]);
    expect((listed.choices as { text: string }[])[1].text).toBe(again);
  });

  it('answers TGI POST /generate with generated_text, greedy by default as TGI, with details when asked', async () => {
    const greedy = choiceText((await json(await post('/v1/completions', { prompt: 'The cat', max_tokens: 8, temperature: 0 }))).body);
    const plain = await json(await post('/generate', { inputs: 'The cat', parameters: { max_new_tokens: 8 } }));
    expect(plain).toEqual({ status: 200, body: { generated_text: greedy } });
    const detailed = await json(await post('/generate', { inputs: 'The cat', parameters: { max_new_tokens: 8, seed: 4, do_sample: true, details: true, return_full_text: true } }));
    expect(detailed.body).toEqual({
      generated_text: expect.stringMatching(/^The cat/),
      details: { finish_reason: 'length', generated_tokens: 8, seed: 4 },
    });
  });

  it('describes itself on GET /info, /health and /v1/models', async () => {
    const info = await json(await fetch(`${server.url}/info`));
    expect(info.body).toMatchObject({ model_id: 'stories260K', model_type: 'llama', max_input_tokens: 511, max_total_tokens: 512, max_new_tokens: 256, max_batch_size: 8, router: 'rlgf-serve' });
    expect(await json(await fetch(`${server.url}/health`))).toEqual({ status: 200, body: { status: 'ok' } });
    expect((await json(await fetch(`${server.url}/v1/models`))).body).toMatchObject({ object: 'list', data: [{ id: 'stories260K', object: 'model' }] });
  });

  it('serves the real @huggingface/inference client (InferenceClient + endpointUrl, textGeneration)', async () => {
    const client = new InferenceClient('', { endpointUrl: server.url });
    const output = await client.textGeneration({ model: 'tgi', inputs: completion.prompt, parameters: { max_new_tokens: 10, top_p: 0.92, temperature: 1, seed: 11 } }, { retry_on_error: false });
    expect(output.generated_text).toBe(choiceText((await json(await post('/v1/completions', completion))).body));
  });

  it('refuses unknown routes (404), wrong methods (405) and malformed JSON (400), with a JSON error each time', async () => {
    expect(await json(await fetch(`${server.url}/v2/anything`))).toEqual({ status: 404, body: { error: expect.stringContaining('no route GET /v2/anything'), error_type: 'not_found' } });
    const wrongMethod = await fetch(`${server.url}/v1/completions`);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect((await json(wrongMethod)).status).toBe(405);
    const malformed = await json(await post('/v1/completions', '{"prompt": "x", '));
    expect(malformed).toEqual({ status: 400, body: { error: expect.stringContaining('not valid JSON'), error_type: 'validation' } });
  });

  it('refuses invalid fields with 422, naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ prompt: 'x', temperature: 'hot' }, /`temperature` must be a number >= 0, got "hot"/],
      [{ prompt: 'x', top_p: 1.5 }, /`top_p` must be a number > 0 and <= 1/],
      [{ prompt: 'x', n: 100 }, /`n` must be an integer >= 1 and <= 8, got 100/],
      [{ prompt: 'x', stream: 'yes' }, /`stream` must be true or false/],
      [{ prompt: [1, 2, 3] }, /prompts of token ids are not supported/],
      [{ prompt: 'x', stop: ['a', 'b', 'c', 'd', 'e'] }, /`stop` has 5 entries; at most 4/],
      [{ max_tokens: 3 }, /`prompt` must be a string or a non-empty list/],
      [[1, 2], /the body must be a JSON object/],
    ];
    for (const [body, message] of cases) {
      const answer = await json(await post('/v1/completions', body));
      expect(answer.status).toBe(422);
      expect(answer.body.error).toMatch(message);
    }
    expect((await json(await post('/generate', { inputs: 'x', parameters: { temperature: 0 } }))).body.error).toMatch(/`temperature` must be a number > 0/);
    expect((await json(await post('/generate', { parameters: {} }))).body.error).toMatch(/`inputs` must be a string/);
  });
});

describe('rlgf serve limits', () => {
  it('bounds max_new_tokens, the prompt and prompt + budget (422)', async () => {
    await start({ maxNewTokens: 20 });
    const over = await json(await post('/v1/completions', { prompt: 'x', max_tokens: 21 }));
    expect(over).toEqual({ status: 422, body: { error: '`max_tokens` 21 is over this server\'s limit of 20 (rlgf serve --max-new-tokens)', error_type: 'validation' } });
    expect((await json(await post('/generate', { inputs: 'x', parameters: { max_new_tokens: 21 } }))).body.error).toMatch(/`max_new_tokens` 21 is over/);
    const long = Array.from({ length: 600 }, () => 'the').join(' ');
    expect((await json(await post('/v1/completions', { prompt: long }))).body.error).toMatch(/the prompt has \d+ tokens; this model takes at most 511 \(max_input_tokens\)/);
    const almost = Array.from({ length: 500 }, () => 'the').join(' ');
    const room = 512 - model.tokenizer.encode(almost).length;
    expect((await json(await post('/v1/completions', { prompt: almost, max_tokens: 20 }))).body.error).toBe(
      `the prompt (${512 - room} tokens) + \`max_tokens\` (20) must be <= 512 (max_total_tokens); ask for at most ${room}`,
    );
    const fitted = (await json(await post('/v1/completions', { prompt: almost }))).body;
    expect((fitted.usage as { completion_tokens: number }).completion_tokens).toBe(Math.min(16, room));
  });

  it('refuses bodies over maxBodyBytes with 413', async () => {
    await start({ maxBodyBytes: 1000 });
    const answer = await json(await post('/v1/completions', { prompt: 'x'.repeat(2000) }));
    expect(answer).toEqual({ status: 413, body: { error: 'request body larger than 1000 bytes', error_type: 'validation' } });
    expect((await json(await post('/v1/completions', { prompt: 'x', max_tokens: 1 }))).status).toBe(200);
    // Without Content-Length (chunked), the body is counted while it is read.
    const chunked = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const request = httpRequest(`${server.url}/v1/completions`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode, body }));
      });
      request.on('error', reject);
      for (let i = 0; i < 10; i++) request.write(`${' '.repeat(199)}\n`);
      request.end();
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toEqual({ error: 'request body larger than 1000 bytes', error_type: 'validation' });
  });

  it('with a token, wants Authorization: Bearer <token> on every route but /health (401), and never logs it', async () => {
    await start({ token });
    for (const headers of [{}, { Authorization: 'Bearer wrong' }, { Authorization: token }] as Record<string, string>[]) {
      const refused = await json(await post('/v1/completions', completion, headers));
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ error: expect.stringContaining('missing or wrong bearer token'), error_type: 'authentication' });
    }
    expect((await json(await fetch(`${server.url}/info`))).status).toBe(401);
    expect((await json(await fetch(`${server.url}/health`))).status).toBe(200);
    expect((await json(await post('/v1/completions', completion, { Authorization: `Bearer ${token}` }))).status).toBe(200);
    const client = new InferenceClient(token, { endpointUrl: server.url });
    await expect(client.textGeneration({ model: 'tgi', inputs: 'x', parameters: { max_new_tokens: 2 } }, { retry_on_error: false })).resolves.toHaveProperty('generated_text');
    await server.close();
    expect(logLines.some((line) => line.includes('POST /v1/completions 401'))).toBe(true);
    expect(logLines.some((line) => line.includes('POST /v1/completions 200'))).toBe(true);
    expect(logLines.join('\n')).not.toContain(token);
  });

  it('refuses requests beyond maxConcurrency with 503 and Retry-After while the others are served', async () => {
    const { held, release } = gate();
    await start({ maxConcurrency: 2, generateBatch: async (rows) => (await held, generateRows(model, rows)) });
    const admitted = [post('/v1/completions', completion), post('/v1/completions', { ...completion, seed: 2 })];
    while (server.stats.activeRequests < 2) await new Promise((resolve) => setTimeout(resolve, 1));
    const refused = await post('/v1/completions', completion);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await json(refused)).toEqual({ status: 503, body: { error: expect.stringContaining('--max-concurrency'), error_type: 'overloaded' } });
    release();
    expect((await Promise.all(admitted)).map((response) => response.status)).toEqual([200, 200]);
    expect(server.stats.refusedRequests).toBe(1);
  });

  it('answers a failed generation with 500 and keeps serving', async () => {
    let calls = 0;
    await start({ generateBatch: async (rows) => (++calls === 1 ? Promise.reject(new Error('device lost')) : generateRows(model, rows)) });
    expect(await json(await post('/v1/completions', completion))).toEqual({ status: 500, body: { error: 'generation failed: device lost', error_type: 'generation' } });
    expect((await json(await post('/v1/completions', completion))).status).toBe(200);
  });
});

describe('rlgf serve batching', () => {
  it('serves concurrent requests with fewer model calls than requests, each answer as if alone', async () => {
    const batches: number[] = [];
    const { held, release } = gate();
    const generateBatch = async (rows: readonly GenerationRow[]) => {
      batches.push(rows.length);
      // Hold the first batch until every other request is queued, so the counts do not depend on timing.
      if (batches.length === 1) await held;
      return generateRows(model, rows);
    };
    await start({ maxBatch: 3, generateBatch });
    const seeds = [1, 2, 3, 4, 5, 6, 7];
    const answers = seeds.map((seed) => post('/v1/completions', { ...completion, max_tokens: 6, seed }));
    while (batches.length === 0 || server.stats.queuedRows < seeds.length - batches[0]) await new Promise((resolve) => setTimeout(resolve, 1));
    release();
    const texts = await Promise.all(answers.map(async (answer) => choiceText((await json(await answer)).body)));
    expect(batches).toHaveLength(1 + Math.ceil((seeds.length - batches[0]) / 3));
    expect(Math.max(...batches)).toBeLessThanOrEqual(3);
    expect(server.stats).toMatchObject({ batches: batches.length, rows: seeds.length, activeRequests: 0, queuedRows: 0 });
    const alone = await generateRows(
      model,
      seeds.map((seed) => ({ promptIds: model.tokenizer.encode(completion.prompt), maxNewTokens: 6, decoding: { strategy: 'sample', temperature: 1, topP: 0.92, topK: 0 }, seed, stop: [] })),
    );
    expect(texts).toEqual(alone.map((row) => row.text));
  });

  it('drops a queued request whose client went away, and goes on serving', async () => {
    const { held, release } = gate();
    await start({ maxBatch: 1, generateBatch: async (rows) => (await held, generateRows(model, rows)) });
    const running = post('/v1/completions', completion);
    while (server.stats.batches === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    const controller = new AbortController();
    const abandoned = fetch(`${server.url}/v1/completions`, { method: 'POST', body: JSON.stringify(completion), signal: controller.signal });
    while (server.stats.queuedRows === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort();
    await expect(abandoned).rejects.toThrow();
    while (server.stats.queuedRows > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    release();
    expect((await json(await running)).status).toBe(200);
    expect((await json(await post('/v1/completions', completion))).status).toBe(200);
    expect(server.stats.batches).toBe(2);
    expect(logLines.some((line) => line.includes('POST /v1/completions closed by the client'))).toBe(true);
  });

  it('on close fails queued requests with 503 and finishes the running batch', async () => {
    const { held, release } = gate();
    await start({ maxBatch: 1, generateBatch: async (rows) => (await held, generateRows(model, rows)) });
    const running = post('/v1/completions', completion);
    while (server.stats.batches === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    const queued = post('/v1/completions', completion);
    while (server.stats.queuedRows === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    const closing = server.close();
    expect(await json(await queued)).toEqual({ status: 503, body: { error: 'the server is shutting down', error_type: 'unavailable' } });
    release();
    expect((await json(await running)).status).toBe(200);
    await closing;
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });
});
