import { parseHubRoute } from './hub-routes';

describe('parseHubRoute', () => {
  it('reads model and dataset resolve URLs, decoding the revision segment', () => {
    expect(parseHubRoute('/sshleifer/tiny-gpt2/resolve/main/config.json')).toEqual({
      kind: 'resolve', repoType: 'model', repo: 'sshleifer/tiny-gpt2', revision: 'main', path: 'config.json',
    });
    expect(parseHubRoute('/datasets/stanfordnlp/imdb/resolve/refs%2Fconvert%2Fparquet/plain_text/test-00000-of-00001.parquet')).toEqual({
      kind: 'resolve', repoType: 'dataset', repo: 'stanfordnlp/imdb', revision: 'refs/convert/parquet', path: 'plain_text/test-00000-of-00001.parquet',
    });
  });

  it('reads tree URLs with and without a prefix', () => {
    expect(parseHubRoute('/api/datasets/allenai/common_gen/tree/main')).toEqual({
      kind: 'tree', repoType: 'dataset', repo: 'allenai/common_gen', revision: 'main', prefix: '',
    });
    expect(parseHubRoute('/api/models/a/b/tree/main/sub/dir/')).toEqual({
      kind: 'tree', repoType: 'model', repo: 'a/b', revision: 'main', prefix: 'sub/dir',
    });
  });

  it('reads the CDN stand-in only with a sha256', () => {
    expect(parseHubRoute(`/cdn-lfs/${'a'.repeat(64)}`)).toEqual({ kind: 'lfs', sha256: 'a'.repeat(64) });
    expect(parseHubRoute('/cdn-lfs/abc')).toBeUndefined();
  });

  it('refuses paths that would leave the served folder or are not Hub URLs', () => {
    expect(parseHubRoute('/datasets/a/b/resolve/main/..%2F..%2Fetc%2Fpasswd')).toBeUndefined();
    expect(parseHubRoute('/datasets/a/b/resolve/main/../x')).toBeUndefined();
    expect(parseHubRoute('/api/datasets/a/b/tree/')).toBeUndefined();
    expect(parseHubRoute('/a/b/blob/main/x')).toBeUndefined();
    expect(parseHubRoute('/a/b/resolve/main')).toBeUndefined();
    expect(parseHubRoute('/a/b/resolve/main/%E0%A4%A')).toBeUndefined();
  });
});
