import type { GreedyDecodingV1, SamplingDecodingV1 } from '@rlgf/contracts';
import type { ChatRenderer, ChatTemplateMessage } from '../chat/chat-renderer';
import type { GeneratedRow } from '../generation/generation-row';
import { validationError } from '../http/http-error';
import { finishReason, readChoicesAndStreaming, usageOf } from './completions-route';
import { booleanField, isJsonObject, numberField, refuseUnsupported, stringField, stringListField, type JsonObject } from './fields';
import { checkPromptChars, type PromptSettings } from './prompt-row';
import type { ServingLimits } from './serving-limits';

/** A parsed OpenAI chat completions request. */
export interface ChatRequest {
  readonly messages: readonly ChatTemplateMessage[];
  /** vLLM's: end the prompt with the template's assistant header (default true). */
  readonly addGenerationPrompt: boolean;
  /** vLLM's: the last (assistant) message is continued, not closed (default false). */
  readonly continueFinalMessage: boolean;
  readonly settings: PromptSettings;
  readonly n: number;
  readonly stream: boolean;
  readonly includeUsage: boolean;
}

/** Options of the OpenAI chat API this server does not implement, with the values that are harmless. */
const unsupported = {
  logprobs: [false],
  top_logprobs: [0],
  presence_penalty: [0],
  frequency_penalty: [0],
  tools: [],
  tool_choice: ['none'],
  response_format: [],
  logit_bias: [],
};

const roles = new Set(['system', 'user', 'assistant', 'developer']);

/** `content` as text: a string, or OpenAI's list of `{type: 'text', text}` parts (joined). */
function contentOf(message: JsonObject, i: number): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content) && content.every((part) => isJsonObject(part) && part.type === 'text' && typeof part.text === 'string')) {
    return content.map((part) => (part as { text: string }).text).join('');
  }
  throw validationError(`\`messages[${i}].content\` must be text or a list of {type: "text", text} parts (this server reads text only)`);
}

function messagesOf(value: unknown, limits: ServingLimits): ChatTemplateMessage[] {
  if (!Array.isArray(value) || value.length === 0) throw validationError('`messages` must be a non-empty list of {role, content}');
  return value.map((message, i) => {
    if (!isJsonObject(message)) throw validationError(`\`messages[${i}]\` must be an object {role, content}`);
    const role = message.role;
    if (typeof role !== 'string' || !roles.has(role)) throw validationError(`\`messages[${i}].role\` must be one of system, user, assistant, developer`);
    const content = contentOf(message, i);
    checkPromptChars(content, limits, `messages[${i}].content`);
    return { role, content };
  });
}

/**
 * Reads `POST /v1/chat/completions` as OpenAI and vLLM define it: `messages`, `max_tokens` (or
 * `max_completion_tokens`), `temperature`, `top_p`, `top_k`, `seed`, `stop`, `n`, `stream`,
 * `stream_options`, and vLLM's `min_tokens`, `add_generation_prompt` and `continue_final_message`.
 */
export function parseChatRequest(body: unknown, limits: ServingLimits, randomSeed: () => number): ChatRequest {
  if (!isJsonObject(body)) throw validationError('the body must be a JSON object');
  refuseUnsupported(body, unsupported);
  stringField(body, 'model');
  const messages = messagesOf(body.messages, limits);
  const continueFinalMessage = booleanField(body, 'continue_final_message') ?? false;
  const addGenerationPrompt = booleanField(body, 'add_generation_prompt') ?? !continueFinalMessage;
  if (continueFinalMessage && addGenerationPrompt) throw validationError('`continue_final_message` and `add_generation_prompt` cannot both be true');
  if (continueFinalMessage && messages[messages.length - 1].role !== 'assistant') {
    throw validationError('`continue_final_message` needs the last message to be the assistant\'s (the text to continue)');
  }
  const temperature = numberField(body, 'temperature', { min: 0 }) ?? 1;
  const topP = numberField(body, 'top_p', { min: 0, minExclusive: true, max: 1 }) ?? 1;
  const topK = numberField(body, 'top_k', { integer: true, min: -1 }) ?? 0;
  const decoding: GreedyDecodingV1 | SamplingDecodingV1 = temperature === 0 ? { strategy: 'greedy' } : { strategy: 'sample', temperature, topP, topK: Math.max(topK, 0) };
  const maxTokens = numberField(body, 'max_tokens', { integer: true, min: 1 });
  const maxCompletionTokens = numberField(body, 'max_completion_tokens', { integer: true, min: 1 });
  const maxNewTokens = maxCompletionTokens ?? maxTokens;
  const minNewTokens = numberField(body, 'min_tokens', { integer: true, min: 0 });
  if (minNewTokens !== undefined && maxNewTokens !== undefined && minNewTokens > maxNewTokens) {
    throw validationError(`\`min_tokens\` ${minNewTokens} must be <= \`max_tokens\` ${maxNewTokens}`);
  }
  return {
    messages,
    addGenerationPrompt,
    continueFinalMessage,
    ...readChoicesAndStreaming(body, 1, limits),
    settings: {
      maxNewTokens,
      minNewTokens,
      // vLLM: what fits in the model's positions; here the server's --max-new-tokens bounds it too.
      defaultMaxNewTokens: Number.MAX_SAFE_INTEGER,
      decoding,
      seed: numberField(body, 'seed', { integer: true, min: 0 }) ?? randomSeed(),
      stop: stringListField(body, 'stop', limits.maxStopSequences),
    },
  };
}

/**
 * The prompt text of a chat request: the messages rendered by the model's chat template. With
 * `continue_final_message` the rendering is cut at the end of the last message's content, as
 * transformers' `apply_chat_template` does (and so vLLM, which calls it), so the model continues the
 * assistant's text instead of closing it: the content stripped of surrounding whitespace is
 * found last in the rendering; the cut keeps the content's trailing whitespace when the template
 * wrote the content as given (a text ending in a space is continued after that space), and
 * falls at the end of the stripped content when the template trimmed it.
 */
export function renderChatPrompt(request: ChatRequest, render: ChatRenderer): string {
  const rendered = render(request.messages, { addGenerationPrompt: request.addGenerationPrompt });
  return request.continueFinalMessage ? cutAfterFinalMessage(rendered, request.messages[request.messages.length - 1].content) : rendered;
}

/**
 * transformers' cut for `continue_final_message`, step for step. One difference: a final
 * message that is empty or only whitespace is refused (transformers finds the empty string at
 * the very end and keeps the whole rendering, closing the message it was asked to continue).
 */
export function cutAfterFinalMessage(rendered: string, final: string): string {
  const stripped = final.trim();
  if (stripped === '') throw validationError('`continue_final_message`: the last (assistant) message is empty, so there is no text to continue; send the text, or add_generation_prompt: true instead');
  const at = rendered.lastIndexOf(stripped);
  if (at < 0) {
    throw validationError(
      '`continue_final_message`: the last message does not appear in the chat after applying the chat template (the template changes or drops part of it), so it cannot be continued',
    );
  }
  const leftStripped = final.trimStart();
  // transformers compares the rendering from the content's start with the message as given.
  if (rendered.slice(at, at + leftStripped.length) === final) return rendered.slice(0, at + leftStripped.length);
  return rendered.slice(0, at + stripped.length);
}

export interface ChatAnswer {
  readonly id: string;
  readonly model: string;
  readonly createdMs: number;
  readonly promptTokens: number;
  /** `n` choices. */
  readonly rows: readonly GeneratedRow[];
}

/** OpenAI's `chat.completion` answer. */
export function chatResponse(answer: ChatAnswer): Record<string, unknown> {
  return {
    id: answer.id,
    object: 'chat.completion',
    created: Math.floor(answer.createdMs / 1000),
    model: answer.model,
    choices: answer.rows.map((row, index) => ({ index, message: { role: 'assistant', content: row.text }, logprobs: null, finish_reason: finishReason(row) })),
    usage: usageOf(answer),
  };
}

/**
 * The same answer as OpenAI's stream of `chat.completion.chunk`s: per choice, a chunk with the
 * role, one with the text and one with the finish reason; then, when asked, the usage.
 */
export function chatChunks(answer: ChatAnswer, includeUsage: boolean): Record<string, unknown>[] {
  const head = { id: answer.id, object: 'chat.completion.chunk', created: Math.floor(answer.createdMs / 1000), model: answer.model };
  const chunks: Record<string, unknown>[] = [];
  answer.rows.forEach((row, index) => {
    chunks.push({ ...head, choices: [{ index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] });
    chunks.push({ ...head, choices: [{ index, delta: { content: row.text }, logprobs: null, finish_reason: null }] });
    chunks.push({ ...head, choices: [{ index, delta: {}, logprobs: null, finish_reason: finishReason(row) }] });
  });
  if (includeUsage) chunks.push({ ...head, choices: [], usage: usageOf(answer) });
  return chunks;
}
