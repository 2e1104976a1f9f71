import { keepEnd, leftPad, lengthBatches } from './reward-inputs';

describe('keepEnd', () => {
  it('keeps a text that fits', () => {
    expect(keepEnd([1, 5, 6, 7], [1], 4)).toEqual([1, 5, 6, 7]);
  });

  it('keeps the last tokens, and what the tokenizer puts first', () => {
    expect(keepEnd([1, 5, 6, 7, 8, 9], [1], 4)).toEqual([1, 7, 8, 9]);
    expect(keepEnd([5, 6, 7, 8, 9], [], 3)).toEqual([7, 8, 9]);
  });

  it('does not invent a BOS the ids do not start with', () => {
    expect(keepEnd([5, 6, 7, 8, 9], [1], 3)).toEqual([7, 8, 9]);
  });
});

describe('leftPad', () => {
  it('pads on the left so every row ends in the last column', () => {
    expect(leftPad([[1, 2, 3], [4]], 0)).toEqual({ ids: [[1, 2, 3], [0, 0, 4]], mask: [[1, 1, 1], [0, 0, 1]] });
  });
});

describe('lengthBatches', () => {
  it('groups rows of similar length, longest first, ties in input order', () => {
    expect(lengthBatches([[1], [1, 2, 3], [1, 2], [1, 2, 3], [9]], 2)).toEqual([[1, 3], [2, 0], [4]]);
  });
});
