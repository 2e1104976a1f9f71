import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
  /** The user message's content. */
  readonly prompt: string;
}

/** An answer: the judge's text, or an error status (with `Retry-After` when given). */
export type ChatReply = { readonly text: string } | { readonly status: number; readonly retryAfter?: string };

export interface ChatJudgeServer {
  readonly url: string;
  readonly requests: readonly ChatRequest[];
  close(): Promise<void>;
}

/** An OpenAI `/v1/chat/completions` server on 127.0.0.1 whose answers a test scripts. */
export async function startChatJudgeServer(reply: (request: ChatRequest, index: number) => ChatReply): Promise<ChatJudgeServer> {
  const requests: ChatRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const messages = body.messages as { content: string }[];
      const request: ChatRequest = { path: req.url ?? '/', headers: req.headers, body, prompt: messages[0].content };
      requests.push(request);
      const answer = req.url === '/v1/chat/completions' ? reply(request, requests.length - 1) : { status: 404 };
      const payload =
        'text' in answer
          ? { id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: answer.text }, finish_reason: 'stop' }] }
          : { error: { message: `injected HTTP ${answer.status}` } };
      const status = 'text' in answer ? 200 : answer.status;
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if ('retryAfter' in answer && answer.retryAfter !== undefined) headers['Retry-After'] = answer.retryAfter;
      res.writeHead(status, headers);
      res.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The two summaries of a judge prompt (DPO layout). */
export function summariesOf(prompt: string): { readonly a: string; readonly b: string } {
  const a = /\nSummary A:\n([\s\S]*?)\n\nSummary B:/.exec(prompt)?.[1] ?? '';
  const b = /\nSummary B:\n([\s\S]*?)\n\nFIRST provide/.exec(prompt)?.[1] ?? '';
  return { a, b };
}
