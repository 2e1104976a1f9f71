import { DatasetError } from '@rlgf/contracts';

/** The three parts of a TL;DR prompt: `SUBREDDIT: r/…\nTITLE: …\nPOST: ` + body + `\nTL;DR:`. */
export interface TldrPromptParts {
  /** From `SUBREDDIT:` through `POST: ` (with the space after the colon when there is one). */
  readonly header: string;
  /** The post itself: what is cut when the prompt is too long. */
  readonly body: string;
  /** `\nTL;DR:` (and anything the dataset put after it). */
  readonly suffix: string;
}

const postMarker = /\nPOST: ?/;
const tldrMarker = '\nTL;DR:';

/** Splits a prompt of the CarperAI/openai_summarize_tldr layout into header, body and suffix. */
export function splitTldrPrompt(prompt: string): TldrPromptParts {
  const post = postMarker.exec(prompt);
  const suffixStart = prompt.lastIndexOf(tldrMarker);
  if (!prompt.startsWith('SUBREDDIT:') || post === null || suffixStart < post.index + post[0].length - 1) {
    throw new DatasetError({
      message: `a TL;DR prompt is not laid out as "SUBREDDIT: r/…\\nTITLE: …\\nPOST: …\\nTL;DR:": ${JSON.stringify(prompt.slice(0, 80))}…`,
      hint: 'the tldr task reads CarperAI/openai_summarize_tldr (or a dataset with the same prompt layout)',
    });
  }
  const bodyStart = post.index + post[0].length;
  // An empty post leaves the marker's newline as the start of the suffix.
  const bodyEnd = Math.max(bodyStart, suffixStart);
  return { header: prompt.slice(0, bodyStart), body: prompt.slice(bodyStart, bodyEnd), suffix: prompt.slice(bodyEnd) };
}

/** `SUBREDDIT` and `TITLE` of a prompt's header, for sample metadata. */
export function headerFields(header: string): { readonly subreddit: string; readonly title: string } {
  const subreddit = /^SUBREDDIT: *(.*)$/m.exec(header)?.[1] ?? '';
  const title = /^TITLE: *(.*)$/m.exec(header)?.[1] ?? '';
  return { subreddit: subreddit.trim(), title: title.trim() };
}

/** Offsets where a word of `text` starts (after whitespace, or at 0), in increasing order. */
export function wordStarts(text: string): number[] {
  const starts: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    if (!/\s/.test(text[i]) && (i === 0 || /\s/.test(text[i - 1]))) starts.push(i);
  }
  return starts;
}
