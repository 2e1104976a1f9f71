#!/usr/bin/env python3
"""Computes the golden values the metric plugins' parity tests assert (not part of CI).

    node --import tsx tools/metric-references/make-inputs.mjs > /tmp/metric-inputs.json
    REFS_DIR=/path/to/refs python3 tools/metric-references/reference_values.py /tmp/metric-inputs.json

REFS_DIR holds the reference implementations (see README.md: sacrebleu_ref/, pycocoevalcap/,
rouge_score/ and wordnet30/); NLTK 3.8 comes from Debian's python3-nltk. Writes one
`src/__fixtures__/golden-commongen.json` per metric plugin.
"""
import json
import os
import sys
import warnings
from collections import Counter

import numpy as np

warnings.filterwarnings("ignore")
REFS = os.environ.get("REFS_DIR", "/work/refs")
sys.path.insert(0, REFS)

import nltk  # noqa: E402
from nltk.corpus.reader.wordnet import WordNetCorpusReader  # noqa: E402
from nltk.tokenize import NLTKWordTokenizer  # noqa: E402
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer  # noqa: E402
from nltk.translate import meteor_score  # noqa: E402

import sacrebleu_ref  # noqa: E402
from pycocoevalcap.bleu_scorer import bleu_compute_score  # noqa: E402
from pycocoevalcap.cider_scorer import cider_compute_score  # noqa: E402
from pycocoevalcap.rouge import Rouge  # noqa: E402
from rouge_score.rouge_scorer import RougeScorer  # noqa: E402

assert nltk.__version__ == "3.8", nltk.__version__
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
data = json.load(open(sys.argv[1]))
items = data["items"]
preds = [it["prediction"] for it in items]
refs = [it["references"] for it in items]

params = PunktParameters()
params.abbrev_types = set(data["punktAbbreviations"])
punkt = PunktSentenceTokenizer(params)
treebank = NLTKWordTokenizer()


def word_tokenize(text):
    """nltk.word_tokenize with Punkt given the same abbreviation list as @rlgf/text."""
    return [tok for sent in punkt.tokenize(text) for tok in treebank.tokenize(sent)]


wordnet = WordNetCorpusReader(os.path.join(REFS, "wordnet30"), None)
assert wordnet.get_version() == "3.0"


def write(plugin, payload):
    path = os.path.join(ROOT, "plugins", plugin, "src", "__fixtures__", "golden-commongen.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        json.dump(payload, fh, indent=1)
        fh.write("\n")
    print("wrote", path)


plain_items = [{"prediction": p, "references": r} for p, r in zip(preds, refs)]

# sacreBLEU: corpus_bleu and sentence_bleu with defaults.
write("metric-sacrebleu", {
    "reference": "sacreBLEU 2.x corpus_bleu/sentence_bleu defaults (transcribed in REFS_DIR/sacrebleu_ref)",
    "items": plain_items,
    "corpus": {"bleu": sacrebleu_ref.corpus_bleu(preds, refs)},
    "perItem": {"bleu": [sacrebleu_ref.sentence_bleu(p, r) for p, r in zip(preds, refs)]},
})

# pycocoevalcap scorers on the PTB tokens (captions keyed by item index, as COCOEvalCap does).
gts = {i: it["ptb"]["references"] for i, it in enumerate(items)}
res = {i: [it["ptb"]["prediction"]] for i, it in enumerate(items)}
bleus, bleu_list = bleu_compute_score(gts, res)
cider, cider_scores = cider_compute_score(gts, res)
rouge, rouge_scores = Rouge().compute_score(gts, res)
write("metric-coco-caption", {
    "reference": "pycocoevalcap 1.2 Bleu(4)/Cider/Rouge on PTB tokens produced by @rlgf/text cocoPtbTokenize",
    "items": [{"prediction": it["prediction"], "references": it["references"], "ptb": it["ptb"]} for it in items],
    "corpus": {"bleu-1": bleus[0], "bleu-2": bleus[1], "bleu-3": bleus[2], "bleu-4": bleus[3], "cider-d": float(cider), "rouge-l": float(rouge)},
    "perItem": {
        "bleu-1": bleu_list[0], "bleu-2": bleu_list[1], "bleu-3": bleu_list[2], "bleu-4": bleu_list[3],
        "cider-d": [float(x) for x in cider_scores], "rouge-l": [float(x) for x in rouge_scores],
    },
})

# rouge-score: score_multi F-measures, with and without stemming.
rouge_out = {"reference": "rouge-score 0.1.2 RougeScorer.score_multi, F-measure", "items": plain_items}
for stem in (True, False):
    scorer = RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=stem)
    scores = [scorer.score_multi(r, p) for p, r in zip(preds, refs)]
    per = {k: [s[k].fmeasure for s in scores] for k in ["rouge1", "rouge2", "rougeL", "rougeLsum"]}
    rouge_out["stemmed" if stem else "unstemmed"] = {"corpus": {k: float(np.mean(v)) for k, v in per.items()}, "perItem": per}
write("metric-rouge-score", rouge_out)

# METEOR as HF evaluate calls NLTK >= 3.6.5.
meteors = [meteor_score.meteor_score([word_tokenize(x) for x in r], word_tokenize(p), wordnet=wordnet) for p, r in zip(preds, refs)]
write("metric-nltk-meteor", {
    "reference": "NLTK 3.8 meteor_score via HF evaluate (word_tokenize, WordNet 3.0)",
    "items": plain_items,
    "corpus": {"meteor": float(np.mean(meteors))},
    "perItem": {"meteor": meteors},
})

# GEM-metrics NGramStats + MSTTR (gem_metrics/ngrams.py and msttr.py, transcribed).
def gem_stats(tokenized, window=100):
    out = {}
    lengths = [len(t) for t in tokenized]
    out["total_length"] = sum(lengths)
    out["mean_pred_length"] = float(np.mean(lengths))
    out["std_pred_length"] = float(np.std(lengths))
    out["median_pred_length"] = float(np.median(lengths))
    out["min_pred_length"] = min(lengths)
    out["max_pred_length"] = max(lengths)
    last = None
    for n in [1, 2, 3]:
        freqs = {}
        total = 0
        for inst in tokenized:
            for g in nltk.ngrams(inst, n):
                freqs[g] = freqs.get(g, 0) + 1
                total += 1
        out[f"distinct-{n}"] = len(freqs) / total if total > 0 else 0
        out[f"vocab_size-{n}"] = len(freqs)
        out[f"unique-{n}"] = len([v for v in freqs.values() if v == 1])
        tf = sum(freqs.values())
        out[f"entropy-{n}"] = float(-sum(f / tf * np.log2(f / tf) for f in freqs.values()))
        if last:
            tj, tc = sum(freqs.values()), sum(last.values())
            out[f"cond_entropy-{n}"] = float(-sum(f / tj * np.log2((f / tj) / (last[g[:-1]] / tc)) for g, f in freqs.items()))
        last = freqs
    concatenated = [t for inst in tokenized for t in inst]
    ttrs = [len(set(concatenated[i:i + window])) / window for i in range(0, len(concatenated), window) if len(concatenated[i:i + window]) == window]
    out[f"msttr-{window}"] = round(sum(ttrs) / len(ttrs), 5) if ttrs else float("nan")
    return out


punct = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
lower = [[t.lower() for t in word_tokenize(p)] for p in preds]
write("metric-gem-diversity", {
    "reference": "GEM-metrics NGramStats + MSTTR-100 on lower-cased nltk word_tokenize tokens",
    "predictions": preds,
    "corpus": gem_stats(lower),
    "corpusNoPunct": gem_stats([[t for t in inst if t not in punct] for inst in lower]),
})

# CommonGen coverage: concept in {token} | {wordnet._morphy(token, pos) for every pos}.
def coverage(pred, concepts):
    lemmas = set()
    for tok in word_tokenize(pred):
        t = tok.lower()
        lemmas.add(t)
        for pos in ["n", "v", "a", "r"]:
            lemmas.update(wordnet._morphy(t, pos))
    return sum(1 for c in concepts if all(w in lemmas for w in c.lower().split())) / len(concepts)


write("metric-commongen-coverage", {
    "reference": "concept coverage with nltk word_tokenize and WordNet 3.0 _morphy over n/v/a/r",
    "items": [{"prediction": it["prediction"], "concepts": it["concepts"]} for it in items],
    "perItem": {"coverage": [coverage(it["prediction"], it["concepts"]) for it in items]},
})
