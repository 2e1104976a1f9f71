import type { ServerResponse } from 'node:http';

/**
 * Writes `chunks` as server-sent events the way OpenAI and vLLM stream: `data: <json>` events
 * separated by a blank line, then `data: [DONE]`.
 */
export function sendEvents(res: ServerResponse, chunks: readonly unknown[]): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  for (const chunk of chunks) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  res.end('data: [DONE]\n\n');
}
