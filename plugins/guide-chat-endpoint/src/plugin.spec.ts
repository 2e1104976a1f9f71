import { GUIDE_FACTORY, HubError, InvalidArgumentError, type HubFilesV1 } from '@rlgf/contracts';
import { createComponent, createComponentContext, createRunContainer, registerPlugins, silentLogger } from '@rlgf/core';
import { rejectionOf } from '@rlgf/testing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestGuide } from './__fixtures__/guide-harness';
import { chatEndpointGuideOptions, resolveGuideOptions } from './guide-options';
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
    const paths = { cacheDir: '/cache', workingDirectory: '/work' };
    const resolved = (options: Record<string, unknown>) => resolveGuideOptions(chatEndpointGuideOptions.parse(options), {}, paths);
    const parsed = resolved({ endpointUrl: 'https://api.example.com/v1/', model: 'm' });
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
    });
    expect(parsed.maxTokens).toBeUndefined();
    expect(resolved({ endpointUrl: 'http://h', model: 'm', cacheDir: 'answers' }).cacheDir).toBe(join('/work', 'answers'));
    expect(resolved({ endpointUrl: 'http://h', model: 'm', cache: false }).cacheDir).toBeUndefined();
    expect(resolved({ endpointUrl: 'http://h', model: 'm', maxTokens: null }).maxTokens).toBeUndefined();
  });

  const url = 'http://127.0.0.1:9';
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a missing endpointUrl', { model: 'm' }, /^guide\.options\.endpointUrl: expected string \(required\)/],
    ['a missing model', { endpointUrl: url }, /^guide\.options\.model: expected string \(required\)/],
    ['a URL as model', { endpointUrl: url, model: 'http://h/v1' }, /^guide\.options\.model: got "http:\/\/h\/v1", expected a model name, not a URL/],
    ['a prefill that is not a boolean', { endpointUrl: url, model: 'm', prefill: 'yes' }, /^guide\.options\.prefill: got "yes", expected boolean$/],
    ['a budget of 0', { endpointUrl: url, model: 'm', maxTokens: 0 }, /^guide\.options\.maxTokens: got 0, expected >= 1$/],
    ['an unknown onBudgetExhausted', { endpointUrl: url, model: 'm', onBudgetExhausted: 'stop' }, /^guide\.options\.onBudgetExhausted: got "stop", expected one of "fallback", "fail"$/],
    ['an empty key', { endpointUrl: url, model: 'm', token: '' }, /^guide\.options\.token: expected a token string, \{ env: "VARIABLE" \} naming an environment variable, or null for no token$/],
    ['an unset key variable', { endpointUrl: url, model: 'm', token: { env: 'NOPE_KEY' } }, /^guide\.options\.token: expected environment variable NOPE_KEY to hold the API key, but it is not set$/],
    // The single policy of the core: an unknown option is refused (it used to be a warning), with the closest name.
    ['a misspelt option', { endpointUrl: url, model: 'm', maxTokenz: 5 }, /^guide\.options\.maxTokenz: expected one of the options at this level: endpointUrl, model, token, .* \(did you mean "maxTokens"\?\)$/],
  ])('rejects %s, naming the field', async (_name, options, message) => {
    const error = await rejectionOf<InvalidArgumentError>(createTestGuide(options));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(message);
  });
});
