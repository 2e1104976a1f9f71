import { GuideUnavailableError, RlgfError } from '@rlgf/contracts';
import { rejectionOf, startCompletionServer, type CompletionServer } from '@rlgf/testing';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { createTestGuide } from './__fixtures__/guide-harness';

const secret = 'sk-SECRETkey123';

/** Every file under `dir`, as text. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(entries.filter((entry) => entry.isFile()).map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')));
}

describe('chat-endpoint guide: the API key stays secret', () => {
  let server: CompletionServer;
  beforeAll(async () => {
    // A careless server that quotes the Authorization header it received in its error messages.
    server = await startCompletionServer({
      reply: (request) => {
        const echo = `bad request from ${request.headers.authorization}`;
        if (request.prompt?.includes('500')) return { kind: 'status', status: 500, message: echo };
        if (request.prompt?.includes('401')) return { kind: 'raw', status: 401, contentType: 'application/json', body: JSON.stringify({ error: { message: echo } }) };
        if (request.prompt?.includes('cut')) return { kind: 'cut-mid-body' };
        return { kind: 'complete' };
      },
    });
  });
  afterAll(() => server.close());

  const inputs = ['500', '401', 'cut', 'fine'].map((promptText) => ({ promptText }));

  it('is sent to the server but appears in no output, log line, cache file or inspection of the guide', async () => {
    const { guide, lines, cacheDir } = await createTestGuide({ endpointUrl: server.url, model: 'm', token: { env: 'RLGF_TEST_CHAT_KEY' }, retries: 1 }, { env: { RLGF_TEST_CHAT_KEY: secret } });
    const result = await guide.doGenerate({ inputs, maxNewTokens: 3, seed: 1 });
    expect(server.requests.every((request) => request.headers.authorization === `Bearer ${secret}`)).toBe(true);
    expect(result.outputs.map((output) => output.status)).toEqual(['failed', 'failed', 'failed', 'ok']);
    expect(result.outputs[1]).toEqual({ status: 'failed', reason: expect.stringContaining('bad request from Bearer [redacted]') });
    const files = await filesUnder(cacheDir);
    expect(files.length).toBeGreaterThan(0);
    const everything = [JSON.stringify(result), ...lines.map((line) => line.message), ...files, JSON.stringify(guide), inspect(guide, { depth: 10, showHidden: true })];
    for (const text of everything) expect(text).not.toContain(secret);
  });

  it('appears in no GuideUnavailableError', async () => {
    const { guide } = await createTestGuide({ endpointUrl: server.url, model: 'm', token: { env: 'KEY' }, retries: 0, onUnavailable: 'fail' }, { env: { KEY: secret } });
    const error = await rejectionOf<GuideUnavailableError>(guide.doGenerate({ inputs: [{ promptText: '401' }], maxNewTokens: 3, seed: 1 }));
    expect(GuideUnavailableError.isInstance(error)).toBe(true);
    expect(error.message).toContain('bad request from Bearer [redacted]');
    for (const text of [error.message, error.hint ?? '', String(error.stack), inspect(error, { depth: 10, showHidden: true })]) expect(text).not.toContain(secret);
  });

  it('appears in no option error or startup log line, and no key is sent unless the options name one', async () => {
    const attempts: Record<string, unknown>[] = [
      { endpointUrl: server.url, model: 'm', token: { env: 'KEY', value: secret } },
      { endpointUrl: server.url, model: 'm', token: [secret] },
      { endpointUrl: server.url, model: 'm', token: { env: 'UNSET_VARIABLE' } },
      { endpointUrl: `http://user:${secret}@127.0.0.1:1`, model: 'm' },
    ];
    for (const options of attempts) {
      const error = await rejectionOf<RlgfError>(createTestGuide(options, { env: { KEY: secret } }));
      expect(RlgfError.isInstance(error)).toBe(true);
      expect(`${error.message} ${error.hint ?? ''}`).not.toContain(secret);
    }
    const literal = await createTestGuide({ endpointUrl: 'http://gpu-box.internal:8000', model: 'm', token: secret, cache: false });
    expect(literal.lines.map((line) => `${line.level}: ${line.message}`)).toEqual([
      'info: chat-endpoint guide: http://gpu-box.internal:8000, model m, instruction mode, key given in the options, concurrency 4, 3 retries, no token budget, cache off',
      'warn: chat-endpoint guide: the API key is sent unencrypted to gpu-box.internal:8000 over http; use https, or token: null if the server needs none',
      'warn: chat-endpoint guide: the API key is written in the options; prefer token: { env: "NAME" } so it stays out of recipes',
    ]);
    const { guide } = await createTestGuide({ endpointUrl: server.url, model: 'm', cache: false }, { env: { OPENAI_API_KEY: secret, HF_TOKEN: secret } });
    const before = server.requests.length;
    await guide.doGenerate({ inputs: [{ promptText: 'fine' }], maxNewTokens: 3, seed: 1 });
    expect(server.requests.slice(before).map((request) => request.headers.authorization)).toEqual([undefined]);
  });
});
