import { HubError } from '@rlgf/contracts';
import { rejectionOf, sharedHubMirror } from '@rlgf/testing';
import { join } from 'node:path';
import { createHubFiles } from './create-hub-files';

describe('createHubFiles with a mirror folder', () => {
  const mirrorDir = sharedHubMirror();
  // A fetch that fails the test if the mirror ever falls through to the network.
  const hub = createHubFiles({ mirrorDir, cacheDir: '/nonexistent-cache', offline: false, fetch: () => Promise.reject(new Error('network used')) });

  it('resolves files to their place in the mirror, models and datasets alike', async () => {
    await expect(hub.resolveFile({ repoType: 'dataset', repo: 'stanfordnlp/imdb', path: 'plain_text/test-00000-of-00001.parquet' })).resolves.toBe(
      join(mirrorDir, 'datasets/stanfordnlp/imdb/plain_text/test-00000-of-00001.parquet'),
    );
    await expect(hub.resolveFile({ repoType: 'model', repo: 'sshleifer/tiny-gpt2', path: 'config.json' })).resolves.toBe(
      join(mirrorDir, 'models/sshleifer/tiny-gpt2/config.json'),
    );
  });

  it('says which path it looked at when the mirror lacks a file', async () => {
    const error = await rejectionOf<HubError>(hub.resolveFile({ repoType: 'dataset', repo: 'stanfordnlp/imdb', path: 'plain_text/unsupervised-00000-of-00001.parquet' }));
    expect(HubError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      `dataset stanfordnlp/imdb, file plain_text/unsupervised-00000-of-00001.parquet at revision main is not in the mirror: no file at ${join(mirrorDir, 'datasets/stanfordnlp/imdb/plain_text/unsupervised-00000-of-00001.parquet')}`,
    );
    expect(error.hint).toMatch(/RLGF_HUB_MIRROR/);
  });

  it('lists a repository, sorted, or only under a prefix', async () => {
    await expect(hub.listFiles({ repoType: 'dataset', repo: 'allenai/common_gen' })).resolves.toEqual([
      'data/test-00000-of-00001.parquet',
      'data/train-00000-of-00001.parquet',
      'data/validation-00000-of-00001.parquet',
    ]);
    await expect(hub.listFiles({ repoType: 'dataset', repo: 'stanfordnlp/imdb', prefix: 'plain_text/' })).resolves.toEqual([
      'plain_text/test-00000-of-00001.parquet',
      'plain_text/train-00000-of-00001.parquet',
    ]);
    await expect(hub.listFiles({ repoType: 'dataset', repo: 'stanfordnlp/imdb', prefix: 'nothing-here' })).resolves.toEqual([]);
  });

  it('refuses a repository the mirror does not have, naming the folder', async () => {
    await expect(hub.listFiles({ repoType: 'model', repo: 'stanfordnlp/imdb' })).rejects.toThrow(
      `model stanfordnlp/imdb is not in the mirror: no folder ${join(mirrorDir, 'models/stanfordnlp/imdb')}`,
    );
  });

  it('refuses paths that would leave the repository', async () => {
    await expect(hub.resolveFile({ repoType: 'dataset', repo: 'stanfordnlp/imdb', path: '../../models/sshleifer/tiny-gpt2/config.json' })).rejects.toThrow(
      /relative "\/"-separated path/,
    );
  });
});
