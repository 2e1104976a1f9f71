import type { LanguageModelV1 } from '@rlgf/contracts';
import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { loadLanguageModel, resolveModelReference, setBackend, type TokenizerFiles } from '@rlgf/models';
import { sharedHubMirror } from '@rlgf/testing';
import OpenAI from 'openai';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cutAfterFinalMessage } from '../api/chat-route';
import { generateRows } from '../generation/generate-rows';
import { asServableModel, type ServableModel } from '../generation/servable-model';
import { startModelServer, type ModelServer } from '../server/start-model-server';
import { servedChatTemplate } from './template-renderer';

// rlgf serve's chat route with a real chat template: a tiny Llama whose tokenizer_config.json
// carries the ChatML template (Qwen2.5-Instruct's layout, __fixtures__/chatml.jinja) written into a
// copy of its folder, rendered by @rlgf/models' renderChatTemplate and answered through the
// official openai client. The expected prompts are written out by hand from ChatML.
const hub = createHubFiles({ ...hubSettingsFromEnv({}), mirrorDir: sharedHubMirror() });
const chatml = join(__dirname, '__fixtures__/chatml.jinja');
type Model = LanguageModelV1 & ServableModel & { readonly tokenizerFiles?: TokenizerFiles };
let model: Model;
let bare: Model;
let server: ModelServer;
let bareServer: ModelServer;
let client: OpenAI;

/** What the model writes after `text` (encoded as the chat route does: the template writes any BOS). */
async function expectedAfter(text: string, seed: number, maxNewTokens: number): Promise<string> {
  const [row] = await generateRows(model, [
    { promptIds: model.tokenizer.encode(text, { addSpecialTokens: false }), maxNewTokens, decoding: { strategy: 'sample', temperature: 1, topP: 1, topK: 0 }, seed, stop: [] },
  ]);
  return row.text;
}

beforeAll(async () => {
  await setBackend('wasm');
  const cacheDir = await mkdtemp(join(tmpdir(), 'rlgf-serve-chat-'));
  const source = await resolveModelReference({ source: 'karpathy/tinyllamas/stories260K' }, { hub, cacheDir });
  // The fixture model folder: the same checkpoint, its tokenizer_config.json given a chat_template.
  const folder = join(cacheDir, 'chatml-model');
  await cp(source, folder, { recursive: true });
  const configPath = join(folder, 'tokenizer_config.json');
  const config = JSON.parse(await readFile(configPath, 'utf8').catch(() => '{}')) as Record<string, unknown>;
  await writeFile(configPath, JSON.stringify({ ...config, chat_template: await readFile(chatml, 'utf8') }));
  model = asServableModel(await loadLanguageModel(folder, { hub, trainable: false })) as Model;
  bare = asServableModel(await loadLanguageModel(source, { hub, trainable: false })) as Model;
  server = await startModelServer({ model, modelId: 'chatml-model', renderChat: servedChatTemplate(model.tokenizerFiles)?.render });
  bareServer = await startModelServer({ model: bare, modelId: 'stories260K', renderChat: servedChatTemplate(bare.tokenizerFiles)?.render });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
afterAll(async () => {
  await server?.close();
  await bareServer?.close();
  model?.dispose();
  bare?.dispose();
});

describe('a served model with a ChatML chat template in its tokenizer_config.json', () => {
  it('answers chat with the messages rendered by the template and the assistant header, counted in /info', async () => {
    const messages = [
      { role: 'system' as const, content: 'Tell stories.' },
      { role: 'user' as const, content: 'A story about a cat.' },
    ];
    const answer = await client.chat.completions.create({ model: 'any', messages, max_tokens: 5, seed: 9 });
    const prompt = '<|im_start|>system\nTell stories.<|im_end|>\n<|im_start|>user\nA story about a cat.<|im_end|>\n<|im_start|>assistant\n';
    expect(answer.choices[0].message).toEqual({ role: 'assistant', content: await expectedAfter(prompt, 9, 5) });
    expect(answer.usage?.prompt_tokens).toBe(model.tokenizer.encode(prompt, { addSpecialTokens: false }).length);
    const info = (await (await fetch(`${server.url}/info`)).json()) as { stats: { requests: Record<string, number> } };
    expect(info.stats.requests).toEqual({ '/v1/completions': 0, '/v1/chat/completions': 1, '/generate': 0 });
  });

  it('continues the final assistant message as transformers does: cut after its content, a trailing space kept', async () => {
    const messages = [
      { role: 'user' as const, content: 'Continue.' },
      { role: 'assistant' as const, content: 'Once upon a time ' },
    ];
    const extra = { continue_final_message: true, add_generation_prompt: false };
    const answer = await client.chat.completions.create({ model: 'any', messages, max_tokens: 5, seed: 2, ...extra } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    const prompt = '<|im_start|>user\nContinue.<|im_end|>\n<|im_start|>assistant\nOnce upon a time ';
    expect(answer.choices[0].message.content).toBe(await expectedAfter(prompt, 2, 5));
    expect(answer.usage?.prompt_tokens).toBe(model.tokenizer.encode(prompt, { addSpecialTokens: false }).length);
  });

  it('answers 422 naming --chat-template for a model whose tokenizer_config.json has no template', async () => {
    expect(servedChatTemplate(bare.tokenizerFiles)).toBeUndefined();
    const bareClient = new OpenAI({ baseURL: `${bareServer.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const refused = (await bareClient.chat.completions.create({ model: 'any', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error)) as InstanceType<typeof OpenAI.APIError>;
    expect(refused.status).toBe(422);
    expect(refused.message).toMatch(/stories260K has no chat template .*start rlgf serve with --chat-template <file>/);
  });

  it('serves a --chat-template file for that model, and refuses one that does not parse or writes no message, in one line', async () => {
    const text = await readFile(chatml, 'utf8');
    const given = servedChatTemplate(bare.tokenizerFiles, { text, file: 'chatml.jinja' });
    expect(given?.source).toEqual({ file: 'chatml.jinja' });
    expect(given?.render([{ role: 'user', content: 'hi' }], { addGenerationPrompt: true })).toBe('<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n');
    // It takes precedence over the model's own.
    const other = '{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}';
    expect(servedChatTemplate(model.tokenizerFiles, { text: other, file: 'other.jinja' })?.render([{ role: 'user', content: 'hi' }], { addGenerationPrompt: false })).toBe('[user] hi\n');
    const broken = () => servedChatTemplate(bare.tokenizerFiles, { text: '{% for m in messages %}{{ m.content }', file: 'broken.jinja' });
    expect(broken).toThrow(/^--chat-template: got "broken\.jinja", expected a file holding a Jinja chat template \(does not parse: [^\n]+\)$/);
    const constant = () => servedChatTemplate(bare.tokenizerFiles, { text: 'just some text', file: 'notes.txt' });
    expect(constant).toThrow(/^--chat-template: got "notes\.txt", expected a file holding a Jinja chat template \(it does not write the messages: a user message "Hello\." rendered as "just some text"\)$/);
    expect(() => servedChatTemplate(bare.tokenizerFiles, { text: ' \n', file: 'empty.jinja' })).toThrow(/\(the file is empty\)/);
  });
});

describe('cutAfterFinalMessage, as transformers\' apply_chat_template(continue_final_message=True)', () => {
  const render = (content: string) => `<|im_start|>user\nGo.<|im_end|>\n<|im_start|>assistant\n${content}<|im_end|>\n`;
  const head = '<|im_start|>user\nGo.<|im_end|>\n<|im_start|>assistant\n';

  it('cuts right after the content when the template writes it as given, trailing whitespace included', () => {
    expect(cutAfterFinalMessage(render('The film was'), 'The film was')).toBe(`${head}The film was`);
    expect(cutAfterFinalMessage(render('The film was '), 'The film was ')).toBe(`${head}The film was `);
    expect(cutAfterFinalMessage(render('The film\n\n'), 'The film\n\n')).toBe(`${head}The film\n\n`);
  });

  it('cuts after the stripped content when the template trimmed it, or when the message starts with whitespace', () => {
    // {{ message.content | trim }}: the rendering holds "The film was", the message "The film was ".
    expect(cutAfterFinalMessage(render('The film was'), 'The film was ')).toBe(`${head}The film was`);
    // transformers compares the rendering with the whole message, leading space included: no match, stripped cut.
    expect(cutAfterFinalMessage(render(' The film was '), ' The film was ')).toBe(`${head} The film was`);
  });

  it('finds the last occurrence (an earlier message with the same text is not cut at)', () => {
    const rendered = '<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\nhello<|im_end|>\n';
    expect(cutAfterFinalMessage(rendered, 'hello')).toBe('<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\nhello');
  });

  it('refuses a message the template does not write as given, and an empty one (transformers would close it)', () => {
    expect(() => cutAfterFinalMessage(render('THE FILM'), 'the film')).toThrow(/does not appear in the chat after applying the chat template/);
    expect(() => cutAfterFinalMessage(render(''), '  ')).toThrow(/the last \(assistant\) message is empty/);
  });
});
