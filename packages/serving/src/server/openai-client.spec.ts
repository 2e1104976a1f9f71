import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import type { LanguageModelV1 } from '@rlgf/contracts';
import { loadLanguageModel, resolveModelReference, setBackend } from '@rlgf/models';
import { sharedHubMirror } from '@rlgf/testing';
import OpenAI from 'openai';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatRenderer } from '../chat/chat-renderer';
import { generateRows } from '../generation/generate-rows';
import { asServableModel, type ServableModel } from '../generation/servable-model';
import { startModelServer, type ModelServer } from './start-model-server';

// The official `openai` client against rlgf serve on loopback: completions and chat, with `n`
// and `stream`. The served tiny Llama has no chat template, so these tests give the server a
// stand-in renderer (a fixed layout, not a Jinja template): what is under test is the route.
const hub = createHubFiles({ ...hubSettingsFromEnv({}), mirrorDir: sharedHubMirror() });
const token = 'sk-serve-test';
let model: LanguageModelV1 & ServableModel;
let server: ModelServer;
let bare: ModelServer;
let client: OpenAI;

const layout: ChatRenderer = (messages, { addGenerationPrompt }) =>
  messages.map((message) => `${message.role}: ${message.content}\n`).join('') + (addGenerationPrompt ? 'assistant:' : '');

/** What the model writes after `text` (its tokens as the server encodes a rendered chat: no BOS added). */
async function expectedAfter(text: string, seed: number, maxNewTokens: number, addSpecialTokens = false): Promise<string> {
  const [row] = await generateRows(model, [
    { promptIds: model.tokenizer.encode(text, { addSpecialTokens }), maxNewTokens, decoding: { strategy: 'sample', temperature: 1, topP: 1, topK: 0 }, seed, stop: [] },
  ]);
  return row.text;
}

beforeAll(async () => {
  await setBackend('wasm');
  const dir = await resolveModelReference({ source: 'karpathy/tinyllamas/stories260K' }, { hub, cacheDir: await mkdtemp(join(tmpdir(), 'rlgf-serve-')) });
  model = asServableModel(await loadLanguageModel(dir, { hub, trainable: false }));
  server = await startModelServer({ model, modelId: 'stories260K', token, renderChat: layout });
  bare = await startModelServer({ model, modelId: 'stories260K' });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: token, maxRetries: 0 });
});
afterAll(async () => {
  await server?.close();
  await bare?.close();
  model.dispose();
});

describe('rlgf serve through the official openai client', () => {
  it('answers completions with n choices per prompt, the first one the n = 1 answer, usage counting each prompt once', async () => {
    const one = await client.completions.create({ model: 'any', prompt: 'Once upon a time', max_tokens: 6, seed: 3 });
    const three = await client.completions.create({ model: 'any', prompt: ['Once upon a time', 'The cat'], max_tokens: 6, seed: 3, n: 3 });
    expect(three.choices.map((choice) => choice.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(three.choices[0].text).toBe(one.choices[0].text);
    expect(new Set(three.choices.slice(0, 3).map((choice) => choice.text)).size).toBeGreaterThan(1);
    const promptTokens = model.tokenizer.encode('Once upon a time').length + model.tokenizer.encode('The cat').length;
    expect(three.usage).toEqual({ prompt_tokens: promptTokens, completion_tokens: 36, total_tokens: promptTokens + 36 });
  });

  it('streams completions as server-sent events whose text adds up to the answer, with a usage chunk when asked', async () => {
    const whole = await client.completions.create({ model: 'any', prompt: 'Once upon a time', max_tokens: 6, seed: 4, n: 2 });
    const stream = await client.completions.create({ model: 'any', prompt: 'Once upon a time', max_tokens: 6, seed: 4, n: 2, stream: true, stream_options: { include_usage: true } });
    const texts = ['', ''];
    const finishes: string[] = [];
    let usage: unknown;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        texts[choice.index] += choice.text;
        if (choice.finish_reason) finishes.push(choice.finish_reason);
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(texts).toEqual(whole.choices.map((choice) => choice.text));
    expect(finishes).toEqual(['length', 'length']);
    expect(usage).toEqual(whole.usage);
  });

  it('answers chat with the messages laid out by the chat template, and n choices', async () => {
    const messages = [
      { role: 'system' as const, content: 'Tell stories.' },
      { role: 'user' as const, content: 'A story about a cat.' },
    ];
    const answer = await client.chat.completions.create({ model: 'any', messages, max_tokens: 5, seed: 9, n: 2 });
    const prompt = 'system: Tell stories.\nuser: A story about a cat.\nassistant:';
    expect(answer.object).toBe('chat.completion');
    expect(answer.choices[0].message).toEqual({ role: 'assistant', content: await expectedAfter(prompt, 9, 5) });
    expect(answer.choices.map((choice) => [choice.index, choice.finish_reason])).toEqual([
      [0, 'length'],
      [1, 'length'],
    ]);
    expect(answer.usage?.prompt_tokens).toBe(model.tokenizer.encode(prompt, { addSpecialTokens: false }).length);
  });

  it('continues the final assistant message with vLLM\'s continue_final_message, and streams chat', async () => {
    const messages = [
      { role: 'user' as const, content: 'Continue.' },
      { role: 'assistant' as const, content: 'Once upon a time' },
    ];
    const extra = { continue_final_message: true, add_generation_prompt: false };
    const answer = await client.chat.completions.create({ model: 'any', messages, max_tokens: 5, seed: 2, ...extra } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(answer.choices[0].message.content).toBe(await expectedAfter('user: Continue.\nassistant: Once upon a time', 2, 5));
    const stream = await client.chat.completions.create({ model: 'any', messages, max_tokens: 5, seed: 2, stream: true, ...extra } as OpenAI.ChatCompletionCreateParamsStreaming);
    let text = '';
    let role: string | undefined;
    for await (const chunk of stream) {
      role ??= chunk.choices[0]?.delta.role;
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect([role, text]).toEqual(['assistant', answer.choices[0].message.content]);
  });

  it('refuses chat for a model without a chat template (422, a clear message), bad messages, and a missing key', async () => {
    const bareClient = new OpenAI({ baseURL: `${bare.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const refused = await bareClient.chat.completions.create({ model: 'any', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(422);
    expect((refused as Error).message).toMatch(/stories260K has no chat template .*use \/v1\/completions, or start rlgf serve with --chat-template <file>/);
    const badRole = await client.chat.completions.create({ model: 'any', messages: [{ role: 'tool', content: 'x', tool_call_id: '1' }] }).catch((error: unknown) => error);
    expect((badRole as InstanceType<typeof OpenAI.APIError>).status).toBe(422);
    const badContinue = await client.chat.completions
      .create({ model: 'any', messages: [{ role: 'user', content: 'x' }], continue_final_message: true } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .catch((error: unknown) => error);
    expect((badContinue as Error).message).toMatch(/needs the last message to be the assistant's/);
    const noKey = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'wrong', maxRetries: 0 });
    expect(await noKey.chat.completions.create({ model: 'any', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error)).toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
