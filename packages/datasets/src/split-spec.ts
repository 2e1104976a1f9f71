import { DatasetError } from '@rlgf/contracts';

/**
 * One term of a split spec, as the `datasets` library's ReadInstruction reads it: a split and an
 * optional slice whose bounds are row counts (`abs`) or percentages (`%`), possibly negative.
 */
export interface SplitSliceInstruction {
  readonly split: string;
  readonly from?: number;
  readonly to?: number;
  readonly unit: 'abs' | '%';
  /** How percent bounds become rows: `closest` (default) or `pct1_dropremainder`. */
  readonly rounding?: 'closest' | 'pct1_dropremainder';
}

/** A resolved term: rows `[start, end)` of a split. */
export interface SplitRowRange {
  readonly split: string;
  readonly start: number;
  readonly end: number;
}

// The grammar of datasets' _SUB_SPEC_RE: split name, optional [from:to] with optional % on each
// bound, optional (rounding). Bounds are Python int literals (digits, single underscores between).
const boundPattern = String.raw`-?\d+(?:_\d+)*`;
const termPattern = new RegExp(
  String.raw`^(?<split>\w+(?:\.\w+)*)(?:\[(?:(?<from>${boundPattern})(?<fromPct>%)?)?:(?:(?<to>${boundPattern})(?<toPct>%)?)?\])?(?:\((?<rounding>[^)]*)\))?$`,
);

const syntaxHelp = 'write `split`, `split[from:to]` with row indices or percentages (e.g. `train[:80%]`, `test[-100:]`, `test[10:20]`), joined with `+`';

function malformed(spec: string, problem: string, availableSplits?: readonly string[]): DatasetError {
  const available = availableSplits ? `; available splits: ${availableSplits.join(', ')}` : '';
  return new DatasetError({ message: `split spec "${spec}": ${problem}${available}`, hint: syntaxHelp });
}

function parseTerm(term: string, spec: string): SplitSliceInstruction {
  const match = termPattern.exec(term);
  if (!match?.groups) throw malformed(spec, `cannot read "${term}"`);
  const { split, from, fromPct, to, toPct, rounding } = match.groups;
  if (from !== undefined && to !== undefined && Boolean(fromPct) !== Boolean(toPct)) {
    // datasets would silently read both bounds as percentages; refuse the ambiguity instead.
    throw malformed(spec, `"${term}" mixes a percentage and a row index; give both bounds in % or both in rows`);
  }
  const unit = fromPct || toPct ? '%' : 'abs';
  if (rounding !== undefined && rounding !== 'closest' && rounding !== 'pct1_dropremainder') {
    throw malformed(spec, `unknown rounding "${rounding}" in "${term}" (known: closest, pct1_dropremainder)`);
  }
  if (rounding !== undefined && unit !== '%') throw malformed(spec, `rounding is only allowed with percent bounds, in "${term}"`);
  const toNumber = (bound: string | undefined) => (bound === undefined ? undefined : Number(bound.replace(/_/g, '')) + 0); // + 0 turns -0 into 0
  const instruction: SplitSliceInstruction = { split, from: toNumber(from), to: toNumber(to), unit, rounding };
  for (const bound of [instruction.from, instruction.to]) {
    if (unit === '%' && bound !== undefined && Math.abs(bound) > 100) throw malformed(spec, `percent bound ${bound}% in "${term}" is outside -100%..100%`);
    if (bound !== undefined && !Number.isSafeInteger(bound)) throw malformed(spec, `bound ${bound} in "${term}" is too large`);
  }
  return instruction;
}

/** Parses a split spec (`train`, `train[:80%]`, `test[-100:]`, `train[:10]+test[:10]`). Pure. */
export function parseSplitSpec(spec: string): SplitSliceInstruction[] {
  const terms = spec.trim().split(/\s*\+\s*/);
  if (terms.some((term) => term === '')) throw malformed(spec, spec.trim() === '' ? 'it is empty' : 'it has an empty term around "+"');
  return terms.map((term) => parseTerm(term, spec));
}

/** Throws the unknown-split error for the first term naming a split not in `available`. */
export function checkSplitNames(spec: string, instructions: readonly SplitSliceInstruction[], available: readonly string[]): void {
  const unknown = instructions.find((instruction) => !available.includes(instruction.split));
  if (unknown) throw malformed(spec, `unknown split "${unknown.split}"`, available);
}

/** Python's `round()`: to the nearest integer, ties to even. */
export function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function percentToRows(boundary: number, rows: number, instruction: SplitSliceInstruction, spec: string): number {
  if (instruction.rounding === 'pct1_dropremainder') {
    if (rows < 100) throw malformed(spec, `pct1_dropremainder rounding on split "${instruction.split}" with fewer than 100 rows (${rows}) always gives an empty slice`);
    return boundary * Math.trunc(rows / 100);
  }
  // datasets' _pct_to_abs_closest: int(round(boundary * num_examples / 100.0)).
  return roundHalfToEven((boundary * rows) / 100);
}

/**
 * Turns parsed terms into row ranges of splits with these sizes, exactly as datasets'
 * `_rel_to_abs_instr`: percent bounds rounded, negative bounds counted from the end, everything
 * clamped to the split; a range whose end precedes its start is empty.
 */
export function resolveSplitRanges(spec: string, instructions: readonly SplitSliceInstruction[], rowsBySplit: Readonly<Record<string, number>>): SplitRowRange[] {
  checkSplitNames(spec, instructions, Object.keys(rowsBySplit));
  return instructions.map((instruction) => {
    const rows = rowsBySplit[instruction.split];
    const bound = (value: number | undefined, fallback: number) =>
      value === undefined ? fallback : instruction.unit === '%' ? percentToRows(value, rows, instruction, spec) : value;
    let start = bound(instruction.from, 0);
    let end = bound(instruction.to, rows);
    if (start < 0) start = Math.max(rows + start, 0);
    if (end < 0) end = Math.max(rows + end, 0);
    start = Math.min(start, rows);
    end = Math.min(end, rows);
    return { split: instruction.split, start, end: Math.max(start, end) };
  });
}
