import type { TokenUsage } from './token-budget';

/** A 2xx answer that is not a chat completion with text: the server speaks another protocol, or had nothing to say. */
export class MalformedReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedReplyError';
  }
}

export interface ChatReply {
  /** The first choice's `message.content`. */
  readonly content: string;
  /** From `usage`, or estimated (characters / 4) when the server sent none. */
  readonly usage: TokenUsage;
  readonly usageReported: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);

/**
 * Reads an OpenAI chat completion: `choices[0].message.content` must be a string (refusals,
 * tool calls and `null` content are "no text"), and `usage.prompt_tokens` / `completion_tokens`
 * are read when present. Throws {@link MalformedReplyError} naming what was wrong.
 */
export function readChatReply(body: unknown, promptChars: number): ChatReply {
  if (!isObject(body)) throw new MalformedReplyError(`expected a JSON object with choices, got ${body instanceof Blob ? 'a body that is not JSON' : Array.isArray(body) ? 'a list' : String(body)}`);
  const choices = body.choices;
  if (!Array.isArray(choices) || choices.length === 0) throw new MalformedReplyError('expected {choices: [{message: {content}}]}, got no choices');
  const message = isObject(choices[0]) ? choices[0].message : undefined;
  const content = isObject(message) ? message.content : undefined;
  if (typeof content !== 'string') {
    const refusal = isObject(message) && typeof message.refusal === 'string' ? ` (refusal: ${message.refusal.slice(0, 80)})` : '';
    throw new MalformedReplyError(`the reply has no text: choices[0].message.content is ${content === undefined ? 'missing' : JSON.stringify(content)}${refusal}`);
  }
  const usage = isObject(body.usage) ? body.usage : undefined;
  const promptTokens = count(usage?.prompt_tokens);
  const completionTokens = count(usage?.completion_tokens);
  if (promptTokens !== undefined && completionTokens !== undefined) return { content, usage: { promptTokens, completionTokens }, usageReported: true };
  return { content, usage: { promptTokens: Math.ceil(promptChars / 4), completionTokens: Math.ceil(content.length / 4) }, usageReported: false };
}

/**
 * The message a server put in an error body: OpenAI's `{error: {message}}`, vLLM's `{message}`,
 * TGI's `{error: "..."}`, FastAPI's `{detail}`.
 */
export function errorBodyMessage(body: unknown): string | undefined {
  if (!isObject(body)) return typeof body === 'string' && body.trim() !== '' ? body.trim() : undefined;
  const error = body.error;
  if (isObject(error) && typeof error.message === 'string') return error.message;
  for (const value of [error, body.message, body.detail]) if (typeof value === 'string') return value;
  return undefined;
}
