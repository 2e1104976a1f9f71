import { InvalidArgumentError } from '@rlgf/contracts';
import { describeGuideContract, startCompletionServer, type CompletionServer } from '@rlgf/testing';
import { createTestGuide } from './__fixtures__/guide-harness';

describe('chat-endpoint guide against a well-behaved server', () => {
  let server: CompletionServer;
  beforeAll(async () => {
    server = await startCompletionServer({ token: 'sk-contract' });
  });
  afterAll(() => server.close());

  it('rejects a bad budget or input before sending anything', async () => {
    const { guide } = await createTestGuide({ endpointUrl: server.url, model: 'm' });
    const before = server.requests.length;
    await expect(guide.doGenerate({ inputs: [{ promptText: 'x' }], maxNewTokens: 0, seed: 1 })).rejects.toThrow(InvalidArgumentError);
    await expect(guide.doGenerate({ inputs: [{ promptText: 'x' }, { promptText: 3 as unknown as string }], maxNewTokens: 4, seed: 1 })).rejects.toThrow(/inputs\[1\]\.promptText/);
    await expect(guide.doGenerate({ inputs: [{ promptText: 'x', prefixText: 5 as unknown as string }], maxNewTokens: 4, seed: 1 })).rejects.toThrow(/prefixText/);
    expect(server.requests.length).toBe(before);
  });

  // The loopback server derives its answer from the seed, so the guide is seeded here; the
  // cache is off so that every check reaches the server.
  describeGuideContract(
    'chat-endpoint',
    async () => (await createTestGuide({ endpointUrl: server.url, model: 'm', token: { env: 'KEY' }, cache: false }, { env: { KEY: 'sk-contract' } })).guide,
    { inputs: [{ promptText: 'I watched this film and' }, { promptText: 'The plot' }, { promptText: 'The plot', prefixText: ' was' }], maxNewTokens: 6, seeded: true },
  );
});
