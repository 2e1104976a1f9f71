import { GUIDE_FACTORY, HubError, InvalidArgumentError, type HubFilesV1 } from '@rlgf/contracts';
import { createComponent, createComponentContext, createRunContainer, registerPlugins, silentLogger } from '@rlgf/core';
import { rejectionOf } from '@rlgf/testing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestGuide } from './__fixtures__/guide-harness';
import { guideOptionDocs, parseGuideOptions } from './guide-options';
import { plugin } from './plugin';

const noHub: HubFilesV1 = {
  resolveFile: async () => {
    throw new HubError({ message: 'not used' });
  },
  listFiles: async () => [],
};

describe('@rlgf/guide-chat-endpoint plugin', () => {
  it('registers the "chat-endpoint" guide factory only when registered into a run', async () => {
    expect(plugin).toMatchObject({ specificationVersion: 'v1', id: '@rlgf/guide-chat-endpoint', kind: 'guide' });
    const container = createRunContainer();
    expect(container.isRegistered(GUIDE_FACTORY)).toBe(false);
    registerPlugins(container, [{ plugin }], { logger: silentLogger });
    const context = createComponentContext({ container, hub: noHub, logger: silentLogger, seed: 1, cacheDir: tmpdir() });
    const guide = await createComponent(context, 'guide', { id: 'chat-endpoint', options: { endpointUrl: 'http://127.0.0.1:9', model: 'm' } });
    expect(guide).toMatchObject({ specificationVersion: 'v1', id: 'chat-endpoint', tokenization: 'text' });
  });

  it('documents every option it reads, with its default', () => {
    const parsed = parseGuideOptions({ endpointUrl: 'https://api.example.com/v1/', model: 'm' }, {}, { cacheDir: '/cache', workingDirectory: '/work' });
    expect(parsed).toMatchObject({
      endpointUrl: 'https://api.example.com/v1',
      model: 'm',
      tokenSource: 'none',
      prefill: false,
      topP: 1,
      temperature: 1,
      sendMinTokens: true,
      sendSeed: true,
      timeoutMs: 60_000,
      deadlineMs: 600_000,
      retries: 3,
      concurrency: 4,
      onUnavailable: 'fallback',
      onBudgetExhausted: 'fail',
      cacheDir: join('/cache', 'guide-chat-endpoint'),
      cacheMaxBytes: 256 * 1024 * 1024,
      warnings: [],
    });
    expect(parsed.maxTokens).toBeUndefined();
    expect(parseGuideOptions({ endpointUrl: 'http://h', model: 'm', cacheDir: 'answers' }, {}, { cacheDir: '/cache', workingDirectory: '/work' }).cacheDir).toBe(join('/work', 'answers'));
    expect(parseGuideOptions({ endpointUrl: 'http://h', model: 'm', cache: false }, {}, { cacheDir: '/cache', workingDirectory: '/work' }).cacheDir).toBeUndefined();
    const known = Object.keys(guideOptionDocs);
    expect(parseGuideOptions({ endpointUrl: 'http://h', model: 'm', maxTokenz: 5 }, {}, { cacheDir: '/c', workingDirectory: '/w' }).warnings).toEqual([
      { type: 'unsupported-option', field: 'maxTokenz', message: `option "maxTokenz" is not used by the chat-endpoint guide; known: ${known.join(', ')}` },
    ]);
  });

  const url = 'http://127.0.0.1:9';
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a missing endpointUrl', { model: 'm' }, /^endpointUrl: got undefined, expected the http\(s\) URL/],
    ['a missing model', { endpointUrl: url }, /^model: got undefined, expected the model name the server serves/],
    ['a URL as model', { endpointUrl: url, model: 'http://h/v1' }, /^model: got "http:\/\/h\/v1", expected a model name, not a URL$/],
    ['a prefill that is not a boolean', { endpointUrl: url, model: 'm', prefill: 'yes' }, /^prefill: got "yes", expected true or false$/],
    ['a budget of 0', { endpointUrl: url, model: 'm', maxTokens: 0 }, /^maxTokens: got 0, expected an integer >= 1$/],
    ['an unknown onBudgetExhausted', { endpointUrl: url, model: 'm', onBudgetExhausted: 'stop' }, /^onBudgetExhausted: got "stop", expected one of "fallback", "fail"$/],
    ['an unset key variable', { endpointUrl: url, model: 'm', token: { env: 'NOPE_KEY' } }, /^token: expected environment variable NOPE_KEY to hold the API key, but it is not set$/],
  ])('rejects %s, naming the field', async (_name, options, message) => {
    const error = await rejectionOf<InvalidArgumentError>(createTestGuide(options));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(message);
  });
});
