"""Golden logits for the TypeScript Llama and GPT-2 implementations.

Minimal PyTorch forward passes that follow Hugging Face transformers' modeling_llama.py and
modeling_gpt2.py (eager attention, float32), run on tiny random weights. Writes JSON fixtures
(config, weights by HF name, input ids, attention mask, logits) that the jest tests compare
against. Run by hand with torch 1.13 (Debian python3-torch):

    /usr/bin/python3 tools/bench-models/reference/golden_logits.py packages/models/src/architectures/__fixtures__ ../shared/hub

The second argument (the Hub mirror) adds the logits of sshleifer/tiny-gpt2 from the mirror.
"""
import json
import math
import sys

import torch

torch.manual_seed(0)
NEG = torch.finfo(torch.float32).min


def additive_mask(attention_mask):
    """Causal + padding mask as HF builds it: [B, 1, T, T], 0 to attend, finfo.min to mask."""
    b, t = attention_mask.shape
    causal = torch.tril(torch.ones(t, t, dtype=torch.bool))
    allowed = causal[None, None] & attention_mask[:, None, None, :].bool()
    return torch.where(allowed, torch.tensor(0.0), torch.tensor(NEG))


def position_ids(attention_mask):
    """HF generate's positions for left padding: cumsum - 1, padding filled with 1."""
    pos = attention_mask.long().cumsum(-1) - 1
    return pos.masked_fill(attention_mask == 0, 1)


# ---------------------------------------------------------------- Llama (modeling_llama.py)
def rms_norm(x, w, eps):
    variance = x.pow(2).mean(-1, keepdim=True)
    return w * (x * torch.rsqrt(variance + eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def llama_forward(cfg, w, ids, mask):
    d, nh, nkv = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd, eps = d // nh, cfg["rms_norm_eps"]
    b, t = ids.shape
    inv_freq = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, hd, 2, dtype=torch.int64).float() / hd))
    pos = position_ids(mask)
    freqs = (inv_freq[None, :, None].expand(b, -1, 1) @ pos[:, None, :].float()).transpose(1, 2)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos()[:, None], emb.sin()[:, None]
    bias = additive_mask(mask)
    h = w["model.embed_tokens.weight"][ids]
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        x = rms_norm(h, w[p + "input_layernorm.weight"], eps)
        q = (x @ w[p + "self_attn.q_proj.weight"].T).view(b, t, nh, hd).transpose(1, 2)
        k = (x @ w[p + "self_attn.k_proj.weight"].T).view(b, t, nkv, hd).transpose(1, 2)
        v = (x @ w[p + "self_attn.v_proj.weight"].T).view(b, t, nkv, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(nh // nkv, dim=1)
        v = v.repeat_interleave(nh // nkv, dim=1)
        scores = q @ k.transpose(2, 3) / math.sqrt(hd) + bias
        attn = torch.softmax(scores, dim=-1, dtype=torch.float32) @ v
        attn = attn.transpose(1, 2).reshape(b, t, d)
        h = h + attn @ w[p + "self_attn.o_proj.weight"].T
        x = rms_norm(h, w[p + "post_attention_layernorm.weight"], eps)
        gate = torch.nn.functional.silu(x @ w[p + "mlp.gate_proj.weight"].T)
        h = h + (gate * (x @ w[p + "mlp.up_proj.weight"].T)) @ w[p + "mlp.down_proj.weight"].T
    h = rms_norm(h, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else w["lm_head.weight"]
    return h @ head.T


def llama_weights(cfg):
    d, nh, nkv, inner, v = (cfg[k] for k in ("hidden_size", "num_attention_heads", "num_key_value_heads", "intermediate_size", "vocab_size"))
    hd = d // nh
    shapes = {"model.embed_tokens.weight": (v, d), "model.norm.weight": (d,)}
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        shapes.update({
            p + "self_attn.q_proj.weight": (nh * hd, d), p + "self_attn.k_proj.weight": (nkv * hd, d),
            p + "self_attn.v_proj.weight": (nkv * hd, d), p + "self_attn.o_proj.weight": (d, nh * hd),
            p + "mlp.gate_proj.weight": (inner, d), p + "mlp.up_proj.weight": (inner, d),
            p + "mlp.down_proj.weight": (d, inner),
            p + "input_layernorm.weight": (d,), p + "post_attention_layernorm.weight": (d,),
        })
    if not cfg["tie_word_embeddings"]:
        shapes["lm_head.weight"] = (v, d)
    return {name: random_weight(name, shape) for name, shape in shapes.items()}


# ---------------------------------------------------------------- GPT-2 (modeling_gpt2.py)
def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def gpt2_forward(cfg, w, ids, mask):
    d, nh, eps = cfg["n_embd"], cfg["n_head"], cfg["layer_norm_epsilon"]
    hd = d // nh
    b, t = ids.shape
    ln = lambda x, p: torch.nn.functional.layer_norm(x, (d,), w[p + ".weight"], w[p + ".bias"], eps)
    bias = additive_mask(mask)
    h = w["transformer.wte.weight"][ids] + w["transformer.wpe.weight"][position_ids(mask)]
    for i in range(cfg["n_layer"]):
        p = f"transformer.h.{i}."
        x = ln(h, p + "ln_1")
        qkv = x @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        q, k, v = (z.view(b, t, nh, hd).transpose(1, 2) for z in qkv.split(d, dim=2))
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd) + bias
        attn = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(b, t, d)
        h = h + attn @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        x = ln(h, p + "ln_2")
        inner = gelu_new(x @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        h = h + inner @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    h = ln(h, "transformer.ln_f")
    return h @ w["transformer.wte.weight"].T


def gpt2_weights(cfg):
    d, inner, v, n = cfg["n_embd"], 4 * cfg["n_embd"], cfg["vocab_size"], cfg["n_positions"]
    shapes = {"transformer.wte.weight": (v, d), "transformer.wpe.weight": (n, d),
              "transformer.ln_f.weight": (d,), "transformer.ln_f.bias": (d,)}
    for i in range(cfg["n_layer"]):
        p = f"transformer.h.{i}."
        shapes.update({
            p + "ln_1.weight": (d,), p + "ln_1.bias": (d,), p + "ln_2.weight": (d,), p + "ln_2.bias": (d,),
            p + "attn.c_attn.weight": (d, 3 * d), p + "attn.c_attn.bias": (3 * d,),
            p + "attn.c_proj.weight": (d, d), p + "attn.c_proj.bias": (d,),
            p + "mlp.c_fc.weight": (d, inner), p + "mlp.c_fc.bias": (inner,),
            p + "mlp.c_proj.weight": (inner, d), p + "mlp.c_proj.bias": (d,),
        })
    return {name: random_weight(name, shape) for name, shape in shapes.items()}


# ---------------------------------------------------------------- fixtures
def random_weight(name, shape):
    if len(shape) == 1 and name.endswith("weight"):  # norm scales around 1
        return 1.0 + 0.1 * torch.randn(shape)
    return 0.3 * torch.randn(shape)


def write(path, cfg, weights, forward):
    ids = torch.tensor([[1, 5, 9, 3, 17, 2, 8], [0, 0, 4, 11, 6, 19, 7]])
    mask = torch.tensor([[1] * 7, [0, 0, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        logits = forward(cfg, weights, ids, mask)
    fixture = {
        "config": cfg,
        "weights": {k: {"shape": list(v.shape), "data": v.flatten().tolist()} for k, v in weights.items()},
        "input_ids": ids.tolist(),
        "attention_mask": mask.tolist(),
        "logits": logits.tolist(),
    }
    with open(path, "w") as f:
        json.dump(fixture, f)
    print(path, tuple(logits.shape))


def read_safetensors(path):
    """Minimal safetensors reader (F32 only): 8-byte header length, JSON header, raw data."""
    import struct
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        assert meta["dtype"] == "F32", meta["dtype"]
        start, end = meta["data_offsets"]
        data = torch.frombuffer(bytearray(blob[8 + n + start:8 + n + end]), dtype=torch.float32)
        tensors[name] = data.reshape(meta["shape"])
    return tensors


def write_tiny_gpt2(path, hub):
    """Logits of the Hub mirror's sshleifer/tiny-gpt2 (weights are read from the mirror, not stored)."""
    folder = f"{hub}/models/sshleifer/tiny-gpt2"
    cfg = json.load(open(f"{folder}/config.json"))
    weights = read_safetensors(f"{folder}/model.safetensors")
    # The mirror's file lacks attn.c_attn.bias; transformers initialises missing Conv1D biases to 0.
    for i in range(cfg["n_layer"]):
        weights.setdefault(f"transformer.h.{i}.attn.c_attn.bias", torch.zeros(3 * cfg["n_embd"]))
    ids = torch.tensor([[464, 2068, 7586, 21831, 18045, 625, 262], [50256, 50256, 15496, 11, 995, 0, 50256]])
    mask = torch.tensor([[1] * 7, [0, 0, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        logits = gpt2_forward(cfg, weights, ids, mask)
    # Only a slice of the vocabulary is kept: the fixture stays small, the check stays sharp.
    fixture = {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "vocab_slice": [0, 400],
               "logits": logits[:, :, :400].tolist(), "logits_tail": logits[:, :, -8:].tolist()}
    with open(path, "w") as f:
        json.dump(fixture, f)
    print(path, tuple(logits.shape))


def main(out_dir, hub=None):
    llama = {"model_type": "llama", "architectures": ["LlamaForCausalLM"], "hidden_size": 16, "intermediate_size": 24,
             "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 32,
             "max_position_embeddings": 64, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "hidden_act": "silu"}
    write(f"{out_dir}/llama-tiny-untied.json", {**llama, "tie_word_embeddings": False}, llama_weights({**llama, "tie_word_embeddings": False}), llama_forward)
    write(f"{out_dir}/llama-tiny-tied.json", {**llama, "tie_word_embeddings": True, "rope_theta": 500.0}, llama_weights({**llama, "tie_word_embeddings": True}), llama_forward)
    gpt2 = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "n_embd": 16, "n_layer": 2, "n_head": 4,
            "vocab_size": 40, "n_positions": 32, "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new"}
    write(f"{out_dir}/gpt2-tiny.json", gpt2, gpt2_weights(gpt2), gpt2_forward)
    if hub is not None:
        write_tiny_gpt2(f"{out_dir}/sshleifer-tiny-gpt2-logits.json", hub)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
