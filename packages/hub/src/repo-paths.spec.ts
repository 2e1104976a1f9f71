import { InvalidArgumentError } from '@rlgf/contracts';
import { cacheRepoDir, checkRepoId, checkRepoPath, mirrorRepoDir, resolveUrl, treeUrl } from './repo-paths';

describe('repo paths', () => {
  const imdb = { repoType: 'dataset', repo: 'stanfordnlp/imdb', revision: 'main' } as const;

  it('builds Hub resolve URLs, with datasets/ only for datasets and the revision as one segment', () => {
    expect(resolveUrl('https://huggingface.co', imdb, 'plain_text/test-00000-of-00001.parquet')).toBe(
      'https://huggingface.co/datasets/stanfordnlp/imdb/resolve/main/plain_text/test-00000-of-00001.parquet',
    );
    expect(resolveUrl('http://h', { repoType: 'model', repo: 'a/b', revision: 'refs/pr/1' }, 'dir/file name.json')).toBe(
      'http://h/a/b/resolve/refs%2Fpr%2F1/dir/file%20name.json',
    );
  });

  it('builds tree API URLs', () => {
    expect(treeUrl('http://h', imdb, '')).toBe('http://h/api/datasets/stanfordnlp/imdb/tree/main?recursive=true');
    expect(treeUrl('http://h', { repoType: 'model', repo: 'a/b', revision: 'v1' }, 'sub/dir')).toBe('http://h/api/models/a/b/tree/v1/sub/dir?recursive=true');
  });

  it('names folders as the mirror and huggingface_hub do', () => {
    expect(mirrorRepoDir('/m', 'dataset', 'stanfordnlp/imdb')).toBe('/m/datasets/stanfordnlp/imdb');
    expect(mirrorRepoDir('/m', 'model', 'sshleifer/tiny-gpt2')).toBe('/m/models/sshleifer/tiny-gpt2');
    expect(cacheRepoDir('/c', 'dataset', 'stanfordnlp/imdb')).toBe('/c/datasets--stanfordnlp--imdb');
    expect(cacheRepoDir('/c', 'model', 'sshleifer/tiny-gpt2')).toBe('/c/models--sshleifer--tiny-gpt2');
  });

  it('refuses repo ids and paths that are not plain', () => {
    expect(() => checkRepoId('stanfordnlp/imdb')).not.toThrow();
    for (const bad of ['imdb', 'a/b/c', '../x', 'a/..', 'a--b/c', '/a/b', 'a/b ']) {
      expect(() => checkRepoId(bad)).toThrow(InvalidArgumentError);
    }
    expect(() => checkRepoPath('plain_text/train.parquet', 'path')).not.toThrow();
    for (const bad of ['', '/etc/passwd', 'a/../b', 'a//b', './a', 'a\\b']) {
      expect(() => checkRepoPath(bad, 'path')).toThrow(/relative "\/"-separated path/);
    }
  });
});
