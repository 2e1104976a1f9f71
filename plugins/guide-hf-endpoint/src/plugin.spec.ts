import { GUIDE_FACTORY, HubError, InvalidArgumentError, type HubFilesV1 } from '@rlgf/contracts';
import { createComponent, createComponentContext, createRunContainer, registerPlugins, silentLogger } from '@rlgf/core';
import { rejectionOf } from '@rlgf/testing';
import { tmpdir } from 'node:os';
import { createTestGuide } from './__fixtures__/guide-harness';
import { guideOptionDocs, parseGuideOptions } from './guide-options';
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
    const parsed = parseGuideOptions({ endpointUrl: 'https://x.endpoints.huggingface.cloud/' }, {});
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
      warnings: [],
    });
    expect(Object.keys(guideOptionDocs).sort()).toEqual(
      ['endpointUrl', 'model', 'token', 'topP', 'temperature', 'maxNewTokens', 'timeoutMs', 'deadlineMs', 'retries', 'backoffBaseMs', 'backoffMaxMs', 'retryAfterMaxMs', 'concurrency', 'onUnavailable'].sort(),
    );
  });

  const url = 'http://127.0.0.1:9';
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a missing endpointUrl', {}, /^endpointUrl: got undefined, expected the http\(s\) URL/],
    ['a relative endpointUrl', { endpointUrl: 'gpu-box:8000' }, /^endpointUrl: got "gpu-box:8000", expected an http: or https: URL/],
    ['an endpointUrl with a query', { endpointUrl: 'http://h/?a=1' }, /without \?query/],
    ['a topP of 0', { endpointUrl: url, topP: 0 }, /^topP: got 0, expected a number > 0 and <= 1$/],
    ['a topP above 1', { endpointUrl: url, topP: 1.5 }, /^topP: got 1.5/],
    ['a negative temperature', { endpointUrl: url, temperature: -0.5 }, /^temperature: got -0.5, expected a number >= 0$/],
    ['a fractional maxNewTokens', { endpointUrl: url, maxNewTokens: 2.5 }, /^maxNewTokens: got 2.5, expected an integer >= 1$/],
    ['negative retries', { endpointUrl: url, retries: -1 }, /^retries: got -1, expected an integer >= 0 and <= 100$/],
    ['zero concurrency', { endpointUrl: url, concurrency: 0 }, /^concurrency: got 0/],
    ['a timeout given as text', { endpointUrl: url, timeoutMs: '30s' }, /^timeoutMs: got "30s", expected an integer >= 1$/],
    ['an unknown onUnavailable', { endpointUrl: url, onUnavailable: 'retry' }, /^onUnavailable: got "retry", expected one of "fallback", "fail"$/],
    ['an empty model', { endpointUrl: url, model: '' }, /^model: got "", expected a non-empty string$/],
    ['a URL as model', { endpointUrl: url, model: 'http://h/v1' }, /^model: got "http:\/\/h\/v1", expected a model name, not a URL$/],
    ['an unset token variable', { endpointUrl: url, token: { env: 'NOPE_TOKEN' } }, /^token: expected environment variable NOPE_TOKEN to hold the token, but it is not set$/],
  ])('rejects %s, naming the field', async (_name, options, message) => {
    const error = await rejectionOf<InvalidArgumentError>(createTestGuide(options));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(message);
  });
});
