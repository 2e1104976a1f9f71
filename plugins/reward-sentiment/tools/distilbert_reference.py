#!/usr/bin/python3
"""PyTorch reference outputs of a DistilBertForSequenceClassification checkpoint.

transformers cannot be installed here, so this is the forward pass of transformers'
modeling_distilbert.py (v4.x, eager attention, eval mode) and the BERT uncased tokenizer
(BasicTokenizer + WordpieceTokenizer of tokenization_bert.py) written out in plain PyTorch and
Python, with TRIL's reward settings: truncation from the left to max_position_embeddings,
softmax over the logits. It computes in float64, one text at a time (no padding).

Needs PyTorch (Debian: apt-get install python3-torch).

Usage: distilbert_reference.py <checkpoint dir> <texts.json>  > golden.json
"""
import json
import math
import struct
import sys
import unicodedata

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def read_safetensors(path):
    with open(path, "rb") as handle:
        data = handle.read()
    (header_length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_length])
    start = 8 + header_length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = bytearray(data[start + begin : start + end])
        tensor = torch.frombuffer(raw, dtype=DTYPES[entry["dtype"]]) if raw else torch.zeros(0)
        tensors[name] = tensor.reshape(entry["shape"]).to(torch.float64)
    return tensors


# --- tokenization_bert.py: BasicTokenizer (do_lower_case, strip accents) + WordpieceTokenizer ---

def is_whitespace(char):
    return char in " \t\n\r" or unicodedata.category(char) == "Zs"


def is_control(char):
    if char in "\t\n\r":
        return False
    return unicodedata.category(char).startswith("C")


def is_punctuation(char):
    cp = ord(char)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def basic_tokens(text):
    cleaned = "".join(" " if is_whitespace(c) else c for c in text if not (ord(c) == 0 or ord(c) == 0xFFFD or is_control(c)))
    tokens = []
    for word in cleaned.strip().split():
        word = unicodedata.normalize("NFD", word.lower())
        word = "".join(c for c in word if unicodedata.category(c) != "Mn")
        current = ""
        for char in word:
            if is_punctuation(char):
                if current:
                    tokens.append(current)
                tokens.append(char)
                current = ""
            else:
                current += char
        if current:
            tokens.append(current)
    return tokens


def wordpiece(token, vocab, unk="[UNK]", max_chars=100):
    if len(token) > max_chars:
        return [unk]
    pieces, start = [], 0
    while start < len(token):
        end, found = len(token), None
        while start < end:
            piece = token[start:end] if start == 0 else "##" + token[start:end]
            if piece in vocab:
                found = piece
                break
            end -= 1
        if found is None:
            return [unk]
        pieces.append(found)
        start = end
    return pieces


def encode(text, vocab, max_length):
    ids = [vocab[piece] for token in basic_tokens(text) for piece in wordpiece(token, vocab)]
    room = max_length - 2
    ids = ids[max(0, len(ids) - room) :]  # truncation_side = "left"
    return [vocab["[CLS]"]] + ids + [vocab["[SEP]"]]


# --- modeling_distilbert.py ---

def layer_norm(x, w, prefix):
    return torch.nn.functional.layer_norm(x, x.shape[-1:], w[prefix + ".weight"], w[prefix + ".bias"], eps=1e-12)


def linear(x, w, prefix):
    return torch.nn.functional.linear(x, w[prefix + ".weight"], w[prefix + ".bias"])


def activation(x, name):
    return torch.nn.functional.gelu(x) if name == "gelu" else torch.relu(x)


def logits(input_ids, w, config):
    ids = torch.tensor([input_ids])
    length = ids.shape[1]
    x = w["distilbert.embeddings.word_embeddings.weight"][ids] + w["distilbert.embeddings.position_embeddings.weight"][torch.arange(length)][None]
    x = layer_norm(x, w, "distilbert.embeddings.LayerNorm")
    heads, dim = config["n_heads"], config["dim"]
    head_dim = dim // heads
    split = lambda t: t.view(1, length, heads, head_dim).transpose(1, 2)
    for layer in range(config["n_layers"]):
        p = f"distilbert.transformer.layer.{layer}"
        q = split(linear(x, w, p + ".attention.q_lin")) / math.sqrt(head_dim)
        k = split(linear(x, w, p + ".attention.k_lin"))
        v = split(linear(x, w, p + ".attention.v_lin"))
        weights = torch.softmax(q @ k.transpose(2, 3), dim=-1)
        context = (weights @ v).transpose(1, 2).reshape(1, length, dim)
        x = layer_norm(linear(context, w, p + ".attention.out_lin") + x, w, p + ".sa_layer_norm")
        ffn = linear(activation(linear(x, w, p + ".ffn.lin1"), config.get("activation", "gelu")), w, p + ".ffn.lin2")
        x = layer_norm(ffn + x, w, p + ".output_layer_norm")
    pooled = torch.relu(linear(x[:, 0], w, "pre_classifier"))
    return linear(pooled, w, "classifier")[0]


def main():
    directory, texts_path = sys.argv[1], sys.argv[2]
    config = json.load(open(f"{directory}/config.json"))
    vocab = json.load(open(f"{directory}/tokenizer.json"))["model"]["vocab"]
    weights = read_safetensors(f"{directory}/model.safetensors")
    texts = json.load(open(texts_path))
    results = []
    with torch.no_grad():
        for text in texts:
            ids = encode(text, vocab, config["max_position_embeddings"])
            out = logits(ids, weights, config)
            results.append({"text": text, "input_ids": ids, "logits": out.tolist(), "positive_probability": torch.softmax(out, dim=-1)[1].item()})
    json.dump({"generator": "tools/distilbert_reference.py (PyTorch %s, float64)" % torch.__version__, "items": results}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
