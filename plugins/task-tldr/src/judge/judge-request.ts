import type { JudgeOptions } from './judge-options';

/** An HTTP error answer, carrying the status and headers that `classifyFailure` reads. */
class JudgeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    message: string,
  ) {
    super(message);
    this.name = 'JudgeHttpError';
  }
}

function field(value: unknown, key: string | number): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string | number, unknown>)[key] : undefined;
}

/** The request body: one user message (chat) or the prompt itself (completions). */
export function judgeRequestBody(options: Pick<JudgeOptions, 'api' | 'model' | 'temperature' | 'maxTokens'>, prompt: string): Record<string, unknown> {
  const common = { model: options.model, temperature: options.temperature, max_tokens: options.maxTokens };
  return options.api === 'chat' ? { ...common, messages: [{ role: 'user', content: prompt }] } : { ...common, prompt };
}

/** The judge's text in an OpenAI answer: `choices[0].message.content` (chat) or `choices[0].text`. */
export function judgeAnswerText(api: JudgeOptions['api'], body: unknown): string {
  const choice = field(field(body, 'choices'), 0);
  const text = api === 'chat' ? field(field(choice, 'message'), 'content') : field(choice, 'text');
  if (typeof text !== 'string') {
    throw new Error(`the answer has no ${api === 'chat' ? 'choices[0].message.content' : 'choices[0].text'} string (is ${api === 'chat' ? '/v1/chat/completions' : '/v1/completions'} served there?)`);
  }
  return text;
}

/**
 * One judge call: POST the prompt, return the answer text. A non-2xx answer throws an error with
 * its status and headers (so retries honour `Retry-After`); a body that is not JSON throws a
 * `SyntaxError` (retried); a JSON body of the wrong shape throws a plain error (not retried).
 */
export async function requestJudgment(
  options: Pick<JudgeOptions, 'url' | 'api' | 'model' | 'temperature' | 'maxTokens' | 'token'>,
  prompt: string,
  transport: { readonly fetch: typeof fetch; readonly signal: AbortSignal },
): Promise<string> {
  const response = await transport.fetch(options.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) },
    body: JSON.stringify(judgeRequestBody(options, prompt)),
    signal: transport.signal,
  });
  const text = await response.text();
  if (!response.ok) throw new JudgeHttpError(response.status, response.headers, text.slice(0, 300) || response.statusText);
  return judgeAnswerText(options.api, JSON.parse(text));
}
