#!/usr/bin/env node
// Builds llama2.c's C reference runner from a local copy of run.c and records what it does, as
// JSON fixtures for packages/models: the token ids of greedy generations (temperature 0) and the
// token ids its tokenizer gives for a corpus of tricky strings. See README.md beside this file.
//
//   node tools/llama2c-reference/make-fixtures.mjs [--refs /work/refs/llama2c] [--hub ../shared/hub]
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : fallback;
};
const refs = resolve(option('--refs', '/work/refs/llama2c'));
const hub = resolve(option('--hub', process.env.RLGF_HUB_MIRROR ?? '../shared/hub'));
const model = join(hub, 'models/karpathy/tinyllamas/stories260K');
const checkpoint = join(model, 'stories260K.bin');
const tokenizer = join(model, 'tok512.bin');
const fixtures = resolve('packages/models/src/llama2c/__fixtures__');
const steps = 256;

/** run.c with two print statements added: the prompt ids (then exit) and each next id. */
function patchRunC(source) {
  const patches = [
    [
      'bpe_encode(prompt, vocab, vocab_scores, config.vocab_size, max_token_length, prompt_tokens, &num_prompt_tokens);',
      '\n        if (getenv("RUN_IDS_ENCODE_ONLY")) { printf("["); for (int k = 0; k < num_prompt_tokens; k++) { printf(k ? ",%d" : "%d", prompt_tokens[k]); } printf("]\\n"); return 0; }',
    ],
    ['        pos++;\n', '        fprintf(stderr, "id %d\\n", next);\n'],
  ];
  let patched = source;
  for (const [anchor, addition] of patches) {
    if (patched.split(anchor).length !== 2) throw new Error(`run.c: anchor not found exactly once: ${anchor}`);
    patched = patched.replace(anchor, anchor + addition);
  }
  return patched;
}

function build() {
  const source = readFileSync(join(refs, 'run.c'), 'utf8');
  writeFileSync(join(refs, 'run-ids.c'), patchRunC(source));
  execFileSync('gcc', ['-O3', '-o', join(refs, 'run'), join(refs, 'run.c'), '-lm']);
  execFileSync('gcc', ['-O3', '-o', join(refs, 'run-ids'), join(refs, 'run-ids.c'), '-lm']);
}

/** Command line of the pristine runner; an empty prompt is "no -i" (see README). */
function runArgs(prompt) {
  return [checkpoint, '-z', tokenizer, '-t', '0', '-n', String(steps), ...(prompt === '' ? [] : ['-i', prompt])];
}

function generate(prompt) {
  const result = spawnSync(join(refs, 'run-ids'), runArgs(prompt), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`run-ids failed: ${result.stderr}`);
  const next = result.stderr
    .split('\n')
    .filter((line) => line.startsWith('id '))
    .map((line) => Number(line.slice(3)));
  const ids = [1, ...next];
  const endedWithBos = next.at(-1) === 1;
  const promptIds = prompt === '' ? [1] : encode(prompt);
  return {
    prompt,
    command: ['./run', ...runArgs(prompt).map((word) => (word === checkpoint ? 'stories260K.bin' : word === tokenizer ? 'tok512.bin' : word))]
      .map(shellQuote)
      .join(' '),
    promptIds,
    ids: endedWithBos ? ids.slice(0, -1) : ids,
    stoppedAtBos: endedWithBos,
    generatedCount: (endedWithBos ? ids.length - 1 : ids.length) - promptIds.length,
    text: result.stdout.replace(/\n$/, ''),
  };
}

function encode(text) {
  const result = spawnSync(join(refs, 'run-ids'), [checkpoint, '-z', tokenizer, '-i', text], {
    encoding: 'utf8',
    env: { ...process.env, RUN_IDS_ENCODE_ONLY: '1' },
  });
  if (result.status !== 0) throw new Error(`encode failed for ${JSON.stringify(text)}: ${result.stderr}`);
  return [1, ...JSON.parse(result.stdout)];
}

function shellQuote(word) {
  return /^[\w./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** Deterministic strings mixing the cases a tokenizer gets wrong: spaces, digits, punctuation, non-ASCII. */
function randomCorpus(count) {
  const pieces = [
    'the', ' the', 'The', ' a', 'cat', ' dog', 'Lily', ' happy', 'ing', 'ed', ' ', '  ', '\n', '\t', '.', ',', '!',
    '?', '"', "'", "'s", "n't", '-', '(', ')', '0', '1', '7', '42', '2024', 'é', 'ü', 'ñ', '日本', '😀', '’', '—',
    '<', '>', '<s>', '\\', 'x', 'Q', 'zz',
  ];
  let state = 20240607;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  const corpus = [];
  for (let i = 0; i < count; i += 1) {
    const length = 1 + (next() % 12);
    let text = '';
    for (let j = 0; j < length; j += 1) text += pieces[next() % pieces.length];
    corpus.push(text);
  }
  return corpus;
}

const trickyStrings = [
  'Once upon a time',
  'Hello world',
  ' leading space',
  'trailing space ',
  'two  spaces   three    four',
  'Tabs\tand\nnewlines\n\nhere',
  'Lily said, "I can\'t find my ball!" Tom\'s dog barked.',
  'It was 3:45 pm on 12/25/2023; 100% fun.',
  '1234567890 0.5 -7 +8 #9',
  'Café naïve résumé',
  'Zoë и мир, 日本語, 😀🎉',
  'Smart quotes ’ and — dashes …',
  'MiXeD CaSe WORDS',
  '<s> and </s> as text',
  '<0x41> is not a byte',
  '!!!???...,,,',
  'a',
  ' ',
  '\n',
];

build();
const generations = ['', 'Once upon a time', 'Lily and Tom went to the park. They saw 3 big dogs!', 'The little cat said, "Hello!"', 'One day, a boy named Tim found 2 red balls in the garden; he was very happy.', 'Max had 10 apples'].map(generate);
const encodings = [...trickyStrings, ...randomCorpus(150)].map((text) => ({ text, ids: encode(text) }));

const source = 'karpathy/llama2.c run.c at commit bd182289c596fa6059eb7b3b7c8ccd04b5c90fc3 (gcc -O3 -o run run.c -lm)';
writeFileSync(
  join(fixtures, 'run-c-generations.json'),
  `${JSON.stringify({ source, model: 'karpathy/tinyllamas stories260K.bin + tok512.bin', temperature: 0, steps, generations }, null, 1)}\n`,
);
writeFileSync(
  join(fixtures, 'run-c-encodings.json'),
  `${JSON.stringify({ source, note: 'ids include the BOS (1) that run.c feeds first', encodings })}\n`,
);
console.log(`wrote ${generations.length} generations and ${encodings.length} encodings to ${fixtures}`);
