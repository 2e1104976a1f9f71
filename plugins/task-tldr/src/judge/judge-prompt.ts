/**
 * The GPT-4 judge prompt for TL;DR summaries of Rafailov et al. (2023, "Direct Preference
 * Optimization", appendix C.2), word for word.
 */
export function judgePrompt(post: string, summaryA: string, summaryB: string): string {
  return [
    'Which of the following summaries does a better job of summarizing the most important points in the given forum post, without including unimportant or irrelevant details? A good summary is both precise and concise.',
    '',
    'Post:',
    post.trim(),
    '',
    'Summary A:',
    summaryA.trim(),
    '',
    'Summary B:',
    summaryB.trim(),
    '',
    'FIRST provide a one-sentence comparison of the two summaries, explaining which you prefer and why. SECOND, on a new line, state only "A" or "B" to indicate your choice. Your response should use the format:',
    'Comparison: <one-sentence comparison and explanation>',
    'Preferred: <"A" or "B">',
  ].join('\n');
}

// `Preferred: A`, `**Preferred:** "B"`, `Preferred: Summary A`, `preferred - (B)`.
const preferredLine = /preferred\**\s*[:\-–]\s*\**\s*["'“”‘’([<*]*\s*(?:summary\s+)?([AB])(?![A-Za-z])/gi;
// A last line that is only the letter: `B`, `"A"`, `**B**`, `Summary A.`
const bareLetter = /^[\s"'“”‘’([<*]*(?:summary\s+)?([AB])[\s"'“”‘’)\]>*.]*$/i;

/**
 * The summary the judge preferred, read robustly: the last `Preferred: <A|B>` (any case, quotes,
 * markdown, "Summary A"), else a last non-empty line that is only the letter. Undefined when the
 * answer names neither (a refusal, a tie, a cut-off answer).
 */
export function parseJudgment(answer: string): 'A' | 'B' | undefined {
  const matches = [...answer.matchAll(preferredLine)];
  if (matches.length > 0) return matches[matches.length - 1][1].toUpperCase() as 'A' | 'B';
  const lines = answer.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const last = lines.length > 0 ? bareLetter.exec(lines[lines.length - 1]) : null;
  return last ? (last[1].toUpperCase() as 'A' | 'B') : undefined;
}
