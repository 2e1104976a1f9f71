import { nextLink, normalizeEtag } from './hub-http';

describe('normalizeEtag', () => {
  it('strips quotes and the weak marker, as huggingface_hub does', () => {
    expect(normalizeEtag('"abc123"')).toBe('abc123');
    expect(normalizeEtag('W/"abc123"')).toBe('abc123');
    expect(normalizeEtag('abc')).toBe('abc');
    expect(normalizeEtag(null)).toBeUndefined();
    expect(normalizeEtag('""')).toBeUndefined();
  });
});

describe('nextLink', () => {
  it('finds the rel="next" target among links', () => {
    expect(nextLink('<https://h/api/x?cursor=abc>; rel="next"')).toBe('https://h/api/x?cursor=abc');
    expect(nextLink('<https://h/p1>; rel="prev", <https://h/p3>; rel="next"')).toBe('https://h/p3');
    expect(nextLink('<https://h/p3>; rel=next')).toBe('https://h/p3');
  });

  it('is undefined without a next link', () => {
    expect(nextLink(null)).toBeUndefined();
    expect(nextLink('')).toBeUndefined();
    expect(nextLink('<https://h/p1>; rel="prev"')).toBeUndefined();
    expect(nextLink('<https://h/p1>; rel="nextish"')).toBeUndefined();
  });
});
