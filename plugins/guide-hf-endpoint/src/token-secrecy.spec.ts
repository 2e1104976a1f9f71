import { GuideUnavailableError, RlgfError } from '@rlgf/contracts';
import { rejectionOf, startCompletionServer, type CompletionServer } from '@rlgf/testing';
import { inspect } from 'node:util';
import { createTestGuide } from './__fixtures__/guide-harness';

const secret = 'hf_SECRETtoken123';

describe('hf-endpoint guide: the token stays secret', () => {
  let server: CompletionServer;
  beforeAll(async () => {
    // A careless server that quotes the Authorization header it received in its error messages.
    server = await startCompletionServer({
      reply: (request) => {
        const echo = `bad request from ${request.headers.authorization}`;
        if (request.prompt?.startsWith('500')) return { kind: 'status', status: 500, message: echo };
        if (request.prompt?.startsWith('429')) return { kind: 'status', status: 429, retryAfter: '1', message: echo };
        if (request.prompt?.startsWith('403')) return { kind: 'status', status: 403, message: echo };
        if (request.prompt?.startsWith('reset')) return { kind: 'reset' };
        if (request.prompt?.startsWith('truncated')) return { kind: 'truncated-json' };
        return { kind: 'complete' };
      },
    });
  });
  afterAll(() => server.close());

  const inputs = ['500', '429', '403', 'reset', 'truncated', 'fine'].map((promptText) => ({ promptText }));

  it('is sent to the server but appears in no output, warning, log line or inspection of the guide', async () => {
    const { guide, lines } = await createTestGuide({ endpointUrl: server.url, retries: 1 }, { env: { HF_TOKEN: secret } });
    const result = await guide.doGenerate({ inputs, maxNewTokens: 3, seed: 1 });
    expect(server.requests.every((request) => request.headers.authorization === `Bearer ${secret}`)).toBe(true);
    expect(result.outputs.map((output) => output.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed', 'ok']);
    // The server's quote of the header survives, with the token itself redacted.
    expect(result.outputs[0]).toEqual({ status: 'failed', reason: expect.stringContaining('bad request from Bearer [redacted]') });
    expect(lines.filter((line) => line.level === 'debug').length).toBeGreaterThan(0);
    const everything = [JSON.stringify(result), ...lines.map((line) => line.message), JSON.stringify(guide), inspect(guide, { depth: 10, showHidden: true })];
    for (const text of everything) expect(text).not.toContain(secret);
  });

  it('appears in no GuideUnavailableError', async () => {
    const { guide } = await createTestGuide({ endpointUrl: server.url, retries: 0, onUnavailable: 'fail' }, { env: { HF_TOKEN: secret } });
    const error = await rejectionOf<GuideUnavailableError>(guide.doGenerate({ inputs: [{ promptText: '403' }], maxNewTokens: 3, seed: 1 }));
    expect(GuideUnavailableError.isInstance(error)).toBe(true);
    expect(error.message).toContain('bad request from Bearer [redacted]');
    expect(error.message).not.toMatch(/\n/);
    for (const text of [error.message, error.hint ?? '', String(error.stack), inspect(error, { depth: 10, showHidden: true })]) {
      expect(text).not.toContain(secret);
    }
  });

  it('appears in no option error or startup log line, even when given where it does not belong', async () => {
    const attempts: Record<string, unknown>[] = [
      { endpointUrl: server.url, token: { env: 'HF_TOKEN', value: secret } },
      { endpointUrl: server.url, token: [secret] },
      { endpointUrl: server.url, token: { env: 'UNSET_VARIABLE' } },
      { endpointUrl: `http://user:${secret}@127.0.0.1:1` },
    ];
    for (const options of attempts) {
      const error = await rejectionOf<RlgfError>(createTestGuide(options, { env: { HF_TOKEN: secret } }));
      expect(RlgfError.isInstance(error)).toBe(true);
      expect(`${error.message} ${error.hint ?? ''}`).not.toContain(secret);
    }
    const literal = await createTestGuide({ endpointUrl: 'http://gpu-box.internal:8000', token: secret });
    expect(literal.lines.map((line) => `${line.level}: ${line.message}`)).toEqual([
      'info: hf-endpoint guide: http://gpu-box.internal:8000, model tgi, token given in the options, concurrency 4, 3 retries',
      'warn: hf-endpoint guide: the token is sent unencrypted to gpu-box.internal:8000 over http; use https, or token: null if the server needs none',
      'warn: hf-endpoint guide: the token is written in the options; prefer token: { env: "HF_TOKEN" } so it stays out of recipes',
    ]);
  });
});
