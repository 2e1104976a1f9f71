/**
 * The minimum number of new tokens for row `row` of a request that gives one number for every row
 * or one per row (`GenerateRequestV1.minNewTokens`, `GuideGenerateOptionsV1.minNewTokens`).
 */
export function minNewTokensAt(minNewTokens: number | readonly number[] | undefined, row: number): number {
  if (minNewTokens === undefined) return 0;
  return typeof minNewTokens === 'number' ? minNewTokens : (minNewTokens[row] ?? 0);
}
