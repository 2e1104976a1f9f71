"""Golden logits for the TypeScript T5 (T5ForConditionalGeneration).

A plain PyTorch forward pass that follows Hugging Face transformers' modeling_t5.py (T5Attention
with relative position buckets computed in the first layer of each stack and shared by the
others, T5LayerNorm, T5DenseActDense / T5DenseGatedActDense, the d_model^-0.5 rescaling before a
tied LM head), float32, eval mode (no dropout), on tiny random weights. `transformers` cannot be
installed here, so the model is written out from the published source. Writes JSON fixtures
(config, weights by HF name, encoder ids and mask, decoder ids, logits, decoder hidden states)
and a table of relative-position buckets, which the jest tests compare against.

Run by hand with torch 1.13 (Debian python3-torch):

    /usr/bin/python3 tools/t5-reference/t5_reference.py packages/models/src/architectures/t5/__fixtures__
"""
import json
import math
import sys

import torch

torch.manual_seed(0)
NEG = torch.finfo(torch.float32).min


def relative_position_bucket(relative_position, bidirectional, num_buckets, max_distance):
    """T5Attention._relative_position_bucket (float32 logarithms, truncation to long)."""
    relative_buckets = 0
    if bidirectional:
        num_buckets //= 2
        relative_buckets += (relative_position > 0).to(torch.long) * num_buckets
        relative_position = torch.abs(relative_position)
    else:
        relative_position = -torch.min(relative_position, torch.zeros_like(relative_position))
    max_exact = num_buckets // 2
    is_small = relative_position < max_exact
    if_large = max_exact + (
        torch.log(relative_position.float() / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact)
    ).to(torch.long)
    if_large = torch.min(if_large, torch.full_like(if_large, num_buckets - 1))
    return relative_buckets + torch.where(is_small, relative_position, if_large)


def compute_bias(cfg, weight, query_length, key_length, bidirectional):
    """T5Attention.compute_bias: [1, heads, query_length, key_length]."""
    context = torch.arange(query_length, dtype=torch.long)[:, None]
    memory = torch.arange(key_length, dtype=torch.long)[None, :]
    buckets = relative_position_bucket(
        memory - context, bidirectional, cfg["relative_attention_num_buckets"], cfg["relative_attention_max_distance"]
    )
    return weight[buckets].permute([2, 0, 1]).unsqueeze(0)


def layer_norm(x, weight, eps):
    """T5LayerNorm: RMS without the mean, no bias."""
    variance = x.to(torch.float32).pow(2).mean(-1, keepdim=True)
    return weight * (x * torch.rsqrt(variance + eps))


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def activation(cfg):
    name = cfg["feed_forward_proj"].split("-")[-1]
    if cfg["feed_forward_proj"] == "gated-gelu":
        name = "gelu_new"
    return {"relu": torch.relu, "gelu_new": gelu_new, "gelu": torch.nn.functional.gelu}[name]


def attention(cfg, w, prefix, x, states, bias):
    """T5Attention.forward without caches: no 1/sqrt(d) scaling; `bias` holds positions and masks."""
    b, s, _ = x.shape
    nh, dkv = cfg["num_heads"], cfg["d_kv"]
    shape = lambda t: t.view(b, -1, nh, dkv).transpose(1, 2)
    q = shape(x @ w[prefix + "q.weight"].T)
    k = shape(states @ w[prefix + "k.weight"].T)
    v = shape(states @ w[prefix + "v.weight"].T)
    scores = torch.matmul(q, k.transpose(3, 2)) + bias
    weights = torch.softmax(scores.float(), dim=-1).type_as(scores)
    out = torch.matmul(weights, v).transpose(1, 2).contiguous().view(b, -1, nh * dkv)
    return out @ w[prefix + "o.weight"].T


def feed_forward(cfg, w, prefix, x):
    act = activation(cfg)
    if cfg["feed_forward_proj"].startswith("gated-"):
        inner = act(x @ w[prefix + "wi_0.weight"].T) * (x @ w[prefix + "wi_1.weight"].T)
    else:
        inner = act(x @ w[prefix + "wi.weight"].T)
    return inner @ w[prefix + "wo.weight"].T


def t5_forward(cfg, w, input_ids, attention_mask, decoder_input_ids):
    eps = cfg["layer_norm_epsilon"]
    embed = w["shared.weight"]
    # encoder (T5Stack, is_decoder=False)
    s = input_ids.shape[1]
    encoder_mask = (1.0 - attention_mask[:, None, None, :].float()) * NEG
    h = embed[input_ids]
    bias = compute_bias(cfg, w["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"], s, s, True) + encoder_mask
    for i in range(cfg["num_layers"]):
        p = f"encoder.block.{i}.layer."
        x = layer_norm(h, w[p + "0.layer_norm.weight"], eps)
        h = h + attention(cfg, w, p + "0.SelfAttention.", x, x, bias)
        h = h + feed_forward(cfg, w, p + "1.DenseReluDense.", layer_norm(h, w[p + "1.layer_norm.weight"], eps))
    encoded = layer_norm(h, w["encoder.final_layer_norm.weight"], eps)
    # decoder (T5Stack, is_decoder=True): causal self-attention, cross-attention without positions
    t = decoder_input_ids.shape[1]
    causal = (1.0 - torch.tril(torch.ones(t, t))[None, None]) * NEG
    self_bias = compute_bias(cfg, w["decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"], t, t, False) + causal
    h = embed[decoder_input_ids]
    for i in range(cfg["num_decoder_layers"]):
        p = f"decoder.block.{i}.layer."
        x = layer_norm(h, w[p + "0.layer_norm.weight"], eps)
        h = h + attention(cfg, w, p + "0.SelfAttention.", x, x, self_bias)
        x = layer_norm(h, w[p + "1.layer_norm.weight"], eps)
        h = h + attention(cfg, w, p + "1.EncDecAttention.", x, encoded, encoder_mask)
        h = h + feed_forward(cfg, w, p + "2.DenseReluDense.", layer_norm(h, w[p + "2.layer_norm.weight"], eps))
    hidden = layer_norm(h, w["decoder.final_layer_norm.weight"], eps)
    if cfg["tie_word_embeddings"]:
        return (hidden * cfg["d_model"] ** -0.5) @ embed.T, hidden
    return hidden @ w["lm_head.weight"].T, hidden


def t5_shapes(cfg):
    d, dkv, nh, dff, v = cfg["d_model"], cfg["d_kv"], cfg["num_heads"], cfg["d_ff"], cfg["vocab_size"]
    inner = nh * dkv
    gated = cfg["feed_forward_proj"].startswith("gated-")
    shapes = {"shared.weight": (v, d), "encoder.final_layer_norm.weight": (d,), "decoder.final_layer_norm.weight": (d,)}

    def attn(prefix):
        shapes.update({prefix + "q.weight": (inner, d), prefix + "k.weight": (inner, d), prefix + "v.weight": (inner, d), prefix + "o.weight": (d, inner)})

    def ff(prefix):
        if gated:
            shapes.update({prefix + "wi_0.weight": (dff, d), prefix + "wi_1.weight": (dff, d)})
        else:
            shapes[prefix + "wi.weight"] = (dff, d)
        shapes[prefix + "wo.weight"] = (d, dff)

    for stack, layers in (("encoder", cfg["num_layers"]), ("decoder", cfg["num_decoder_layers"])):
        shapes[f"{stack}.block.0.layer.0.SelfAttention.relative_attention_bias.weight"] = (cfg["relative_attention_num_buckets"], nh)
        for i in range(layers):
            p = f"{stack}.block.{i}.layer."
            attn(p + "0.SelfAttention.")
            shapes[p + "0.layer_norm.weight"] = (d,)
            if stack == "decoder":
                attn(p + "1.EncDecAttention.")
                shapes[p + "1.layer_norm.weight"] = (d,)
            last = 2 if stack == "decoder" else 1
            ff(f"{p}{last}.DenseReluDense.")
            shapes[f"{p}{last}.layer_norm.weight"] = (d,)
    if not cfg["tie_word_embeddings"]:
        shapes["lm_head.weight"] = (v, d)
    return shapes


def random_weight(name, shape):
    if name.endswith("layer_norm.weight"):
        return 1.0 + 0.1 * torch.randn(shape)
    if name.endswith("relative_attention_bias.weight"):
        return torch.randn(shape)
    return 0.3 * torch.randn(shape)


def write_logits(path, cfg):
    weights = {name: random_weight(name, shape) for name, shape in t5_shapes(cfg).items()}
    # Right padding on the encoder side, as T5 tokenizers pad; the decoder starts with the pad id.
    input_ids = torch.tensor([[5, 9, 3, 17, 2, 8, 12, 30, 1], [4, 11, 6, 19, 7, 1, 0, 0, 0], [21, 13, 1, 0, 0, 0, 0, 0, 0]])
    attention_mask = (input_ids != 0).long()
    attention_mask[0] = 1
    decoder_input_ids = torch.tensor([[0, 7, 3, 28, 15, 9, 2, 31], [0, 18, 5, 5, 26, 1, 0, 0], [0, 1, 0, 0, 0, 0, 0, 0]])
    with torch.no_grad():
        logits, hidden = t5_forward(cfg, weights, input_ids, attention_mask, decoder_input_ids)
    fixture = {
        "config": cfg,
        "weights": {k: {"shape": list(v.shape), "data": v.flatten().tolist()} for k, v in weights.items()},
        "input_ids": input_ids.tolist(),
        "attention_mask": attention_mask.tolist(),
        "decoder_input_ids": decoder_input_ids.tolist(),
        "logits": logits.tolist(),
        "decoder_hidden": hidden.tolist(),
    }
    with open(path, "w") as f:
        json.dump(fixture, f)
    print(path, tuple(logits.shape))


def write_buckets(path):
    relative = torch.arange(-300, 301, dtype=torch.long)
    tables = []
    for bidirectional in (True, False):
        for num_buckets, max_distance in ((32, 128), (8, 12), (16, 64)):
            buckets = relative_position_bucket(relative, bidirectional, num_buckets, max_distance)
            tables.append({"bidirectional": bidirectional, "num_buckets": num_buckets, "max_distance": max_distance, "buckets": buckets.tolist()})
    with open(path, "w") as f:
        json.dump({"relative_positions": relative.tolist(), "tables": tables}, f)
    print(path)


def main(out_dir):
    base = {"model_type": "t5", "architectures": ["T5ForConditionalGeneration"], "vocab_size": 32, "d_model": 16,
            "num_heads": 4, "layer_norm_epsilon": 1e-6, "pad_token_id": 0, "eos_token_id": 1,
            "decoder_start_token_id": 0, "is_encoder_decoder": True}
    v10 = {**base, "d_kv": 4, "d_ff": 32, "num_layers": 2, "num_decoder_layers": 3, "relative_attention_num_buckets": 8,
           "relative_attention_max_distance": 12, "feed_forward_proj": "relu", "tie_word_embeddings": True}
    v11 = {**base, "d_kv": 6, "d_ff": 24, "num_layers": 2, "num_decoder_layers": 2, "relative_attention_num_buckets": 32,
           "relative_attention_max_distance": 128, "feed_forward_proj": "gated-gelu", "tie_word_embeddings": False}
    write_logits(f"{out_dir}/t5-v1_0-relu-tied.json", v10)
    write_logits(f"{out_dir}/t5-v1_1-gated-gelu-untied.json", v11)
    write_buckets(f"{out_dir}/t5-relative-buckets.json")


if __name__ == "__main__":
    main(sys.argv[1])
