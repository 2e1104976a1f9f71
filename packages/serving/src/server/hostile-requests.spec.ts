import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import type { LanguageModelV1, TokenizerV1 } from '@rlgf/contracts';
import { loadLanguageModel, resolveModelReference, setBackend } from '@rlgf/models';
import { sharedHubMirror } from '@rlgf/testing';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp } from 'node:fs/promises';
import { once } from 'node:events';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRows } from '../generation/generate-rows';
import type { GenerationRow } from '../generation/generation-row';
import { asServableModel, type ServableModel } from '../generation/servable-model';
import type { ModelServerOptions } from './server-settings';
import { startModelServer, type ModelServer } from './start-model-server';

// The hostile requests of issue #16 (item 5), each once as observed, and vLLM's min_tokens. No
// assertion reads a clock: order of events, counts and statuses only.

const hub = createHubFiles({ ...hubSettingsFromEnv({}), mirrorDir: sharedHubMirror() });
let model: LanguageModelV1 & ServableModel;
let server: ModelServer | undefined;
let tensorsAfterLoad: number;

async function start(options: Partial<ModelServerOptions> = {}): Promise<ModelServer> {
  await server?.close();
  server = await startModelServer({ model, modelId: 'stories260K', ...options });
  return server;
}

beforeAll(async () => {
  await setBackend('wasm');
  const dir = await resolveModelReference({ source: 'karpathy/tinyllamas/stories260K' }, { hub, cacheDir: await mkdtemp(join(tmpdir(), 'rlgf-serve-')) });
  model = asServableModel(await loadLanguageModel(dir, { hub, trainable: false }));
  tensorsAfterLoad = tf.memory().numTensors;
});
afterAll(async () => {
  await server?.close();
  model.dispose();
});

const url = () => (server as ModelServer).url;
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url()}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const answer = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> });
const choice = (body: Record<string, unknown>) => (body.choices as { text: string; finish_reason: string }[])[0];
const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
};

/** The model's tokenizer, telling `onEncode` of every text it tokenizes. */
function spyTokenizer(onEncode: (text: string) => void): TokenizerV1 {
  const spy: TokenizerV1 = Object.create(model.tokenizer);
  return Object.assign(spy, { encode: (text: string, options?: { readonly addSpecialTokens?: boolean }) => (onEncode(text), model.tokenizer.encode(text, options)) });
}

/** The served model with another tokenizer (same network and ids). */
function withTokenizer(tokenizer: TokenizerV1): ServableModel {
  return { info: model.info, tokenizer, network: model.network, eosTokenIds: model.eosTokenIds, padTokenId: model.padTokenId };
}

describe('rlgf serve against hostile requests', () => {
  it('samples the greedy text at temperatures <= 1e-38 (the limit), not the same garbage for every seed', async () => {
    await start();
    const greedy = choice((await answer(await post('/v1/completions', { prompt: 'Once upon a time', max_tokens: 8, temperature: 0 }))).body).text;
    expect(greedy.trim()).not.toBe('');
    for (const temperature of [1e-38, 1e-300, Number.MIN_VALUE]) {
      for (const seed of [1, 2, 3]) {
        const tiny = await answer(await post('/v1/completions', { prompt: 'Once upon a time', max_tokens: 8, temperature, seed }));
        expect(tiny).toEqual({ status: 200, body: expect.objectContaining({}) });
        expect(choice(tiny.body).text).toBe(greedy);
      }
    }
    const tgi = await answer(await post('/generate', { inputs: 'Once upon a time', parameters: { max_new_tokens: 8, temperature: 1e-38, do_sample: true, seed: 5 } }));
    expect(tgi.body.generated_text).toBe(greedy);
  });

  it('refuses JSON nested 100,000 deep in any field with one 422 before parsing, and goes on serving', async () => {
    await start();
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const bodies: [string, string][] = [
      ['/v1/completions', `{"prompt": "x", "temperature": ${deep}}`],
      ['/v1/completions', `{"prompt": "x", "n": ${deep}}`],
      ['/v1/completions', `{"prompt": "x", "model": ${deep}}`],
      ['/v1/completions', `{"prompt": "x", "stop": ${deep}}`],
      ['/generate', `{"inputs": "x", "parameters": {"details": ${deep}}}`],
    ];
    for (const [path, body] of bodies) {
      expect(await answer(await post(path, body))).toEqual({
        status: 422,
        body: { error: 'request body nests arrays or objects more than 16 deep; requests to this server nest at most 3', error_type: 'validation' },
      });
    }
    // Just deep enough for a value the parser refuses by type: quoted in the message, no 500.
    const nested = await answer(await post('/v1/completions', { prompt: 'x', temperature: [[[[[[1]]]]]] }));
    expect(nested).toEqual({ status: 422, body: { error: '`temperature` must be a number >= 0, got [[[[[[1]]]]]]', error_type: 'validation' } });
    expect((await post('/v1/completions', { prompt: 'x', max_tokens: 1 })).status).toBe(200);
  });

  it('refuses a 1 MB prompt by its characters without tokenizing it', async () => {
    const encoded: number[] = [];
    await start({ model: withTokenizer(spyTokenizer((text) => encoded.push(text.length))) });
    const limit = 511 * 64;
    const huge = 'the '.repeat(250_000);
    expect(await answer(await post('/v1/completions', { prompt: huge }))).toEqual({
      status: 422,
      body: { error: `\`prompt\` has 1000000 characters; this server takes at most ${limit} before tokenizing (rlgf serve --max-prompt-chars)`, error_type: 'validation' },
    });
    expect((await answer(await post('/v1/completions', { prompt: ['x', huge] }))).body.error).toMatch(/^`prompt\[1\]` has 1000000 characters/);
    expect((await answer(await post('/generate', { inputs: huge }))).body.error).toMatch(/^`inputs` has 1000000 characters/);
    expect(encoded).toEqual([]);
    // Under the character bound, the token bound still applies, after tokenizing.
    const tokens = await answer(await post('/v1/completions', { prompt: 'the '.repeat(8000) }));
    expect(tokens.body.error).toMatch(/^the prompt has \d+ tokens; this model takes at most 511 \(max_input_tokens\)$/);
    expect(Math.max(...encoded)).toBeLessThanOrEqual(limit);
  });

  it('tokenizes the prompts of a request one per turn of the event loop: /health is answered in between', async () => {
    const events: string[] = [];
    let onFirstLongPrompt = () => undefined as unknown;
    await start({
      model: withTokenizer(
        spyTokenizer((text) => {
          if (text.length <= 500) return;
          events.push('encode');
          if (events.length === 1) onFirstLongPrompt();
        }),
      ),
    });
    // A /health request one line short of complete; the line goes out while the first long
    // prompt is tokenized, so the server can only answer it between prompts.
    const health = connect((server as ModelServer).port, '127.0.0.1');
    await once(health, 'connect');
    health.write('GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n');
    onFirstLongPrompt = () => health.write('\r\n');
    const answered = new Promise<string>((resolve) => health.once('data', (chunk: Buffer) => (events.push('health'), resolve(chunk.toString()))));
    // Eight prompts of ~450 tokens each, all within the bounds.
    const prompts = Array.from({ length: 8 }, (_, i) => `${i} ${'the cat sat. '.repeat(75)}`);
    const generated = await answer(await post('/v1/completions', { prompt: prompts, max_tokens: 1, temperature: 0 }));
    expect(generated.status).toBe(200);
    expect(await answered).toMatch(/^HTTP\/1\.1 200/);
    health.destroy();
    expect(events.filter((event) => event === 'encode')).toHaveLength(8);
    expect(events.indexOf('health')).toBeLessThan(events.lastIndexOf('encode'));
  });

  it('asks for the token before answering 404 or 405 (which list the routes); /health stays open', async () => {
    await start({ token: 'tok-secret' });
    for (const [method, path] of [['GET', '/nope'], ['GET', '/v1/completions'], ['POST', '/info'], ['PUT', '/generate']]) {
      const refused = await fetch(`${url()}${path}`, { method });
      expect(refused.headers.get('www-authenticate')).toBe('Bearer');
      expect(await answer(refused)).toEqual({ status: 401, body: { error: expect.stringContaining('missing or wrong bearer token'), error_type: 'authentication' } });
    }
    expect((await fetch(`${url()}/health`)).status).toBe(200);
    const auth = { Authorization: 'Bearer tok-secret' };
    expect((await answer(await fetch(`${url()}/nope`, { headers: auth }))).status).toBe(404);
    expect((await answer(await fetch(`${url()}/v1/completions`, { headers: auth }))).status).toBe(405);
  });

  it('refuses some of 200 concurrent requests with 503 + Retry-After over --max-concurrency 4, and answers every one', async () => {
    const batchSizes: number[] = [];
    await start({ maxConcurrency: 4, generateBatch: (rows) => (batchSizes.push(rows.length), generateRows(model, rows)) });
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async (_, seed) => {
        const response = await post('/v1/completions', { prompt: 'Once upon a time', max_tokens: 64, seed });
        const { status, body } = await answer(response);
        if (status === 503) {
          expect(response.headers.get('retry-after')).toBe('1');
          expect(body).toEqual({ error: expect.stringContaining('(rlgf serve --max-concurrency)'), error_type: 'overloaded' });
        }
        return status;
      }),
    );
    const refused = statuses.filter((status) => status === 503).length;
    expect(statuses.filter((status) => status !== 503 && status !== 200)).toEqual([]);
    expect(refused).toBeGreaterThan(0);
    expect(statuses.length - refused).toBeGreaterThanOrEqual(4);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(4);
    expect((server as ModelServer).stats).toMatchObject({ refusedRequests: refused, activeRequests: 0, queuedRows: 0 });
  });

  it('answers /health while a batch is generating (the decoding loop yields between steps)', async () => {
    let finishedBatches = 0;
    const generateBatch = async (rows: readonly GenerationRow[]) => {
      const generated = await generateRows(model, rows);
      finishedBatches++;
      return generated;
    };
    await start({ maxBatch: 8, maxNewTokens: 400, generateBatch });
    const pending = Array.from({ length: 8 }, (_, seed) => post('/v1/completions', { prompt: 'Once upon a time', max_tokens: 400, seed }));
    // This loop needs the event loop too: it only gets here mid-batch if the batch lets it.
    await until(() => (server as ModelServer).stats.batches > 0);
    expect(await answer(await fetch(`${url()}/health`))).toEqual({ status: 200, body: { status: 'ok' } });
    expect(finishedBatches).toBe(0);
    expect((server as ModelServer).stats.activeRequests).toBeGreaterThan(0);
    expect((await Promise.all(pending)).map((response) => response.status)).toEqual(new Array(8).fill(200));
  });
});

describe('rlgf serve min_tokens (vLLM)', () => {
  // stories260K separates stories with BOS and never emits its EOS: with "." as its end token the
  // same network stops after its first sentence, a model that would stop early.
  let period: number;
  beforeAll(async () => {
    const ids = model.tokenizer.encode('Lily.', { addSpecialTokens: false });
    period = ids[ids.length - 1];
    expect(model.tokenizer.decode([period])).toBe('.');
    await start({ model: { ...withTokenizer(model.tokenizer), eosTokenIds: [period] } });
  });

  it('generates exactly max_tokens tokens when min_tokens = max_tokens, where the model would stop early', async () => {
    const request = { prompt: 'Once upon a time', max_tokens: 30, temperature: 0 };
    const early = await answer(await post('/v1/completions', request));
    expect(choice(early.body).finish_reason).toBe('stop');
    const earlyTokens = (early.body.usage as { completion_tokens: number }).completion_tokens;
    expect(earlyTokens).toBeLessThan(30);
    const full = await answer(await post('/v1/completions', { ...request, min_tokens: 30 }));
    expect(full.status).toBe(200);
    expect((full.body.usage as { completion_tokens: number }).completion_tokens).toBe(30);
    expect(choice(full.body).finish_reason).toBe('length');
    expect(choice(full.body).text.startsWith(choice(early.body).text)).toBe(true);
    const some = await answer(await post('/v1/completions', { ...request, min_tokens: earlyTokens + 1 }));
    expect((some.body.usage as { completion_tokens: number }).completion_tokens).toBeGreaterThan(earlyTokens);
  });

  it('refuses min_tokens that is not an integer in [0, max_tokens] with 422', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ min_tokens: -1 }, '`min_tokens` must be an integer >= 0, got -1'],
      [{ min_tokens: 2.5 }, '`min_tokens` must be an integer >= 0, got 2.5'],
      [{ min_tokens: '3' }, '`min_tokens` must be an integer >= 0, got "3"'],
      [{ min_tokens: 5, max_tokens: 4 }, '`min_tokens` 5 must be <= `max_tokens` 4'],
      [{ min_tokens: 17 }, '`min_tokens` 17 is over the 16 new tokens this prompt gets without `max_tokens`; send `max_tokens` >= 17'],
    ];
    for (const [fields, error] of cases) {
      expect(await answer(await post('/v1/completions', { prompt: 'x', ...fields }))).toEqual({ status: 422, body: { error, error_type: 'validation' } });
    }
    expect((await post('/v1/completions', { prompt: 'x', min_tokens: 0, max_tokens: 2 })).status).toBe(200);
  });

  it('leaves no tensors behind after every generation of these suites', async () => {
    await server?.close();
    server = undefined;
    expect(tf.memory().numTensors).toBe(tensorsAfterLoad);
  });
});
