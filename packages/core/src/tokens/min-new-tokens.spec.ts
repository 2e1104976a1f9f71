import { minNewTokensAt } from './min-new-tokens';

describe('minNewTokensAt', () => {
  it('reads one number for every row, one per row, or 0 when absent', () => {
    expect(minNewTokensAt(undefined, 3)).toBe(0);
    expect(minNewTokensAt(5, 0)).toBe(5);
    expect(minNewTokensAt(5, 7)).toBe(5);
    expect(minNewTokensAt([1, 4], 1)).toBe(4);
    expect(minNewTokensAt([1, 4], 2)).toBe(0);
  });
});
