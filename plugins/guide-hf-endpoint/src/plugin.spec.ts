import { GUIDE_FACTORY, HubError, InvalidArgumentError, type HubFilesV1 } from '@rlgf/contracts';
import { createComponent, createComponentContext, createRunContainer, registerPlugins, silentLogger } from '@rlgf/core';
import { rejectionOf } from '@rlgf/testing';
import { tmpdir } from 'node:os';
import { createTestGuide } from './__fixtures__/guide-harness';
import { hfEndpointGuideOptions, resolveGuideOptions } from './guide-options';
import { plugin } from './plugin';

const noHub: HubFilesV1 = {
  resolveFile: async () => {
    throw new HubError({ message: 'not used' });
  },
  listFiles: async () => [],
};

describe('@rlgf/guide-hf-endpoint plugin', () => {
  it('registers the "hf-endpoint" guide factory only when registered into a run', async () => {
    expect(plugin).toMatchObject({ specificationVersion: 'v1', id: '@rlgf/guide-hf-endpoint', kind: 'guide' });
    const container = createRunContainer();
    expect(container.isRegistered(GUIDE_FACTORY)).toBe(false);
    registerPlugins(container, [{ plugin }], { logger: silentLogger });
    const context = createComponentContext({ container, hub: noHub, logger: silentLogger, seed: 1, cacheDir: tmpdir() });
    const guide = await createComponent(context, 'guide', { id: 'hf-endpoint', options: { endpointUrl: 'http://127.0.0.1:9', token: null } });
    expect(guide).toMatchObject({ specificationVersion: 'v1', id: 'hf-endpoint', tokenization: 'text' });
  });

  it('documents every option it reads, with its default', () => {
    const parsed = resolveGuideOptions(hfEndpointGuideOptions.parse({ endpointUrl: 'https://x.endpoints.huggingface.cloud/' }), {});
    expect(parsed).toMatchObject({
      endpointUrl: 'https://x.endpoints.huggingface.cloud',
      model: 'tgi',
      tokenSource: 'none',
      topP: 0.92,
      temperature: 1,
      timeoutMs: 60_000,
      deadlineMs: 600_000,
      retries: 3,
      backoffBaseMs: 500,
      backoffMaxMs: 20_000,
      retryAfterMaxMs: 60_000,
      concurrency: 4,
      onUnavailable: 'fallback',
    });
    expect(Object.keys(hfEndpointGuideOptions.shape).sort()).toEqual(
      ['endpointUrl', 'model', 'token', 'topP', 'temperature', 'maxNewTokens', 'timeoutMs', 'deadlineMs', 'retries', 'backoffBaseMs', 'backoffMaxMs', 'retryAfterMaxMs', 'concurrency', 'onUnavailable'].sort(),
    );
  });

  const url = 'http://127.0.0.1:9';
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a missing endpointUrl', {}, /^guide\.options\.endpointUrl: expected string \(required\)/],
    ['a relative endpointUrl', { endpointUrl: 'gpu-box:8000' }, /^guide\.options\.endpointUrl: got "gpu-box:8000", expected an http: or https: URL, e\.g\./],
    ['an endpointUrl with credentials', { endpointUrl: 'http://me:hf_pw@h/' }, /^guide\.options\.endpointUrl: expected a URL without user:password@ \(pass credentials as `token: \{ env: NAME \}`\)$/],
    ['an endpointUrl with a query', { endpointUrl: 'http://h/?a=1' }, /without \?query/],
    ['a topP of 0', { endpointUrl: url, topP: 0 }, /^guide\.options\.topP: got 0, expected > 0$/],
    ['a topP above 1', { endpointUrl: url, topP: 1.5 }, /^guide\.options\.topP: got 1.5, expected <= 1$/],
    ['a negative temperature', { endpointUrl: url, temperature: -0.5 }, /^guide\.options\.temperature: got -0.5, expected >= 0$/],
    ['a fractional maxNewTokens', { endpointUrl: url, maxNewTokens: 2.5 }, /^guide\.options\.maxNewTokens: got 2.5, expected int$/],
    ['negative retries', { endpointUrl: url, retries: -1 }, /^guide\.options\.retries: got -1, expected >= 0$/],
    ['too many retries', { endpointUrl: url, retries: 101 }, /^guide\.options\.retries: got 101, expected <= 100$/],
    ['zero concurrency', { endpointUrl: url, concurrency: 0 }, /^guide\.options\.concurrency: got 0/],
    ['a timeout given as text', { endpointUrl: url, timeoutMs: '30s' }, /^guide\.options\.timeoutMs: got "30s", expected number$/],
    ['an unknown onUnavailable', { endpointUrl: url, onUnavailable: 'retry' }, /^guide\.options\.onUnavailable: got "retry", expected one of "fallback", "fail"$/],
    ['an empty model', { endpointUrl: url, model: '' }, /^guide\.options\.model: got "", expected >= 1 characters$/],
    ['a URL as model', { endpointUrl: url, model: 'http://h/v1' }, /^guide\.options\.model: got "http:\/\/h\/v1", expected a model name, not a URL/],
    ['an unset token variable', { endpointUrl: url, token: { env: 'NOPE_TOKEN' } }, /^guide\.options\.token: expected environment variable NOPE_TOKEN to hold the token, but it is not set$/],
    // The single policy of the core: an unknown option is refused (it used to be a warning), with the closest name.
    ['a misspelt option', { endpointUrl: url, tokne: 'hf_typo_secret' }, /^guide\.options\.tokne: expected one of the options at this level: endpointUrl, model, token, .* \(did you mean "token"\?\)$/],
  ])('rejects %s, naming the field', async (_name, options, message) => {
    const error = await rejectionOf<InvalidArgumentError>(createTestGuide(options));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/hf_typo_secret|hf_pw/);
  });
});
