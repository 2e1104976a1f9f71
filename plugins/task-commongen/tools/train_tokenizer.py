"""Trains the SentencePiece unigram tokenizer of the tiny CommonGen T5 and writes it as the
`tokenizer.json` transformers' T5TokenizerFast would save: `<pad>` 0, `</s>` 1, `<unk>` 2, the
unigram pieces with their log-probabilities, Metaspace pre-tokenizer and decoder, `</s>` appended
to every encoded text.

    npx tsx plugins/task-commongen/tools/write-tokenizer-corpus.ts /tmp/commongen-corpus.txt
    /usr/bin/python3 plugins/task-commongen/tools/train_tokenizer.py /tmp/commongen-corpus.txt plugins/task-commongen/model 2000

Needs Debian's python3-sentencepiece (SentencePiece 0.1.97). Training is deterministic for a
given corpus and settings, so the committed file can be rebuilt.
"""
import json
import os
import sys
import tempfile

import sentencepiece as spm


def train(corpus, vocab_size, prefix):
    spm.SentencePieceTrainer.train(
        input=corpus, model_prefix=prefix, model_type="unigram", vocab_size=vocab_size,
        pad_id=0, eos_id=1, unk_id=2, bos_id=-1, character_coverage=1.0,
        normalization_rule_name="identity", num_threads=1, minloglevel=2,
    )
    return spm.SentencePieceProcessor(model_file=prefix + ".model")


def tokenizer_json(sp):
    special = lambda i, content: {"id": i, "content": content, "single_word": False, "lstrip": False,
                                  "rstrip": False, "normalized": False, "special": True}
    metaspace = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}
    vocab = [[sp.id_to_piece(i), 0.0 if i < 3 else sp.get_score(i)] for i in range(sp.get_piece_size())]
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [special(0, "<pad>"), special(1, "</s>"), special(2, "<unk>")],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFKC"}, {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
        "pre_tokenizer": metaspace,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "special_tokens": {"</s>": {"id": "</s>", "ids": [1], "tokens": ["</s>"]}},
        },
        "decoder": metaspace,
        "model": {"type": "Unigram", "unk_id": 2, "vocab": vocab, "byte_fallback": False},
    }


def main(corpus, out_dir, vocab_size):
    with tempfile.TemporaryDirectory() as scratch:
        sp = train(corpus, vocab_size, os.path.join(scratch, "commongen"))
        with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
            json.dump(tokenizer_json(sp), f, ensure_ascii=False, indent=1)
        lines = open(corpus, encoding="utf-8").read().splitlines()
        pieces = sum(len(sp.encode(line)) for line in lines)
        print(f"{sp.get_piece_size()} pieces; {pieces / len(lines):.2f} pieces per line, "
              f"{pieces / sum(len(line.split()) for line in lines):.2f} per word")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
