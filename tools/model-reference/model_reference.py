"""Golden logits for the decoder-only families of packages/models/src/architectures.

Plain PyTorch forward passes written from Hugging Face transformers' modeling files (llama with
rope_scaling, qwen2, qwen3, mistral, gemma2, phi3, gpt_neox), float32, eval mode, on tiny random
weights. `transformers` cannot be installed here (no PyPI), so each family is written out from
its published source; reference_ops.py holds the shared pieces. Each fixture is a JSON file with
the config, the weights under their Hugging Face names, left-padded input ids with their mask,
and the logits, which packages/models/src/architectures/families.spec.ts compares against.

Needs torch (Debian: `apt-get update && apt-get install -y python3-torch`), then:

    /usr/bin/python3 tools/model-reference/model_reference.py packages/models/src/architectures/__fixtures__/families
"""
import json
import os
import sys

import torch

from reference_ops import (ACT, apply_rotary, attention, causal_mask, gemma_rms_norm, inverse_frequencies, layer_norm,
                           position_ids_from_mask, rms_norm, rotary_cos_sin)
from reference_shapes import weight_shapes


def heads(x, count):
    """[B, s, count·Dh] -> [B, count, s, Dh]."""
    b, s, _ = x.shape
    return x.view(b, s, count, -1).transpose(1, 2)


def llama_like(cfg, w, ids, mask):
    """LlamaForCausalLM and the families built on it: Qwen2 (q/k/v biases), Qwen3 (per-head q/k
    RMSNorm before the rotation), Mistral (sliding window), Phi-3 (fused qkv_proj and gate_up_proj,
    sliding window, partial rotary)."""
    kind = cfg["model_type"]
    nh, nkv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    dh = cfg.get("head_dim") or cfg["hidden_size"] // nh
    eps = cfg["rms_norm_eps"]
    rotary_dim = int(dh * cfg.get("partial_rotary_factor", 1.0))
    inv_freq = inverse_frequencies(rotary_dim, cfg.get("rope_theta", 10000.0), cfg.get("rope_scaling"))
    cos, sin = rotary_cos_sin(inv_freq, position_ids_from_mask(mask))
    window = cfg.get("sliding_window") if kind in ("mistral", "phi3") else None
    bias = causal_mask(mask, window)
    lin = lambda x, name: x @ w[name + ".weight"].T + (w[name + ".bias"] if name + ".bias" in w else 0)
    h = w["model.embed_tokens.weight"][ids]
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        x = rms_norm(h, w[p + "input_layernorm.weight"], eps)
        if kind == "phi3":
            qkv = lin(x, p + "self_attn.qkv_proj")
            q, k, v = qkv.split([nh * dh, nkv * dh, nkv * dh], dim=-1)
        else:
            q, k, v = (lin(x, p + f"self_attn.{n}_proj") for n in "qkv")
        q, k, v = heads(q, nh), heads(k, nkv), heads(v, nkv)
        if kind == "qwen3":
            q = rms_norm(q, w[p + "self_attn.q_norm.weight"], eps)
            k = rms_norm(k, w[p + "self_attn.k_norm.weight"], eps)
        q, k = apply_rotary(q, cos, sin), apply_rotary(k, cos, sin)
        h = h + lin(attention(q, k, v, bias, dh ** -0.5), p + "self_attn.o_proj")
        x = rms_norm(h, w[p + "post_attention_layernorm.weight"], eps)
        if kind == "phi3":
            gate, up = lin(x, p + "mlp.gate_up_proj").chunk(2, dim=-1)
        else:
            gate, up = lin(x, p + "mlp.gate_proj"), lin(x, p + "mlp.up_proj")
        h = h + lin(ACT[cfg["hidden_act"]](gate) * up, p + "mlp.down_proj")
    h = rms_norm(h, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else w["lm_head.weight"]
    return h @ head.T


def gemma2(cfg, w, ids, mask):
    """Gemma2ForCausalLM: √d-scaled embeddings, (1 + w) RMSNorms before and after attention and MLP,
    GeGLU, query_pre_attn_scalar scaling, attention and final logit soft-capping, and sliding-window
    attention on even layers (layer_types' default)."""
    nh, nkv, dh, d = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"], cfg["hidden_size"]
    eps = cfg["rms_norm_eps"]
    cos, sin = rotary_cos_sin(inverse_frequencies(dh, cfg["rope_theta"]), position_ids_from_mask(mask))
    full, sliding = causal_mask(mask), causal_mask(mask, cfg["sliding_window"])
    norm = lambda x, name: gemma_rms_norm(x, w[name + ".weight"], eps)
    lin = lambda x, name: x @ w[name + ".weight"].T
    h = w["model.embed_tokens.weight"][ids] * torch.tensor(d ** 0.5, dtype=torch.float32)
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        x = norm(h, p + "input_layernorm")
        q, k, v = (lin(x, p + f"self_attn.{n}_proj") for n in "qkv")
        q, k = apply_rotary(heads(q, nh), cos, sin), apply_rotary(heads(k, nkv), cos, sin)
        bias = sliding if i % 2 == 0 else full
        attended = attention(q, k, heads(v, nkv), bias, cfg["query_pre_attn_scalar"] ** -0.5, cfg["attn_logit_softcapping"])
        h = h + norm(lin(attended, p + "self_attn.o_proj"), p + "post_attention_layernorm")
        x = norm(h, p + "pre_feedforward_layernorm")
        inner = ACT[cfg["hidden_activation"]](lin(x, p + "mlp.gate_proj")) * lin(x, p + "mlp.up_proj")
        h = h + norm(lin(inner, p + "mlp.down_proj"), p + "post_feedforward_layernorm")
    logits = norm(h, "model.norm") @ w["model.embed_tokens.weight"].T
    cap = cfg["final_logit_softcapping"]
    return torch.tanh(logits / cap) * cap


def gpt_neox(cfg, w, ids, mask):
    """GPTNeoXForCausalLM: LayerNorms with bias, fused per-head query_key_value ([q_h | k_h | v_h]
    for each head), partial rotary (rotary_pct), parallel or sequential residual, untied embed_out."""
    nh, d = cfg["num_attention_heads"], cfg["hidden_size"]
    dh, eps = d // nh, cfg["layer_norm_eps"]
    rotary_dim = int(dh * cfg["rotary_pct"])
    cos, sin = rotary_cos_sin(inverse_frequencies(rotary_dim, cfg["rotary_emb_base"]), position_ids_from_mask(mask))
    bias = causal_mask(mask)
    lin = lambda x, name: x @ w[name + ".weight"].T + w[name + ".bias"]
    norm = lambda x, name: layer_norm(x, w[name + ".weight"], w[name + ".bias"], eps)
    b, s = ids.shape
    h = w["gpt_neox.embed_in.weight"][ids]
    for i in range(cfg["num_hidden_layers"]):
        p = f"gpt_neox.layers.{i}."
        qkv = lin(norm(h, p + "input_layernorm"), p + "attention.query_key_value").view(b, s, nh, 3 * dh).transpose(1, 2)
        q, k, v = qkv.chunk(3, dim=-1)
        attended = attention(apply_rotary(q, cos, sin), apply_rotary(k, cos, sin), v, bias, dh ** -0.5)
        attn_out = lin(attended, p + "attention.dense")
        mlp = lambda x: lin(ACT[cfg["hidden_act"]](lin(x, p + "mlp.dense_h_to_4h")), p + "mlp.dense_4h_to_h")
        if cfg["use_parallel_residual"]:
            h = mlp(norm(h, p + "post_attention_layernorm")) + attn_out + h
        else:
            attn_out = attn_out + h
            h = mlp(norm(attn_out, p + "post_attention_layernorm")) + attn_out
    return norm(h, "gpt_neox.final_layer_norm") @ w["embed_out.weight"].T


FORWARD = {"llama": llama_like, "qwen2": llama_like, "qwen3": llama_like, "mistral": llama_like, "phi3": llama_like,
           "gemma2": gemma2, "gpt_neox": gpt_neox}


def random_weight(cfg, name, shape):
    if name.endswith("norm.weight"):
        # Gemma 2 stores its RMSNorm scales as offsets from one.
        return (0.0 if cfg["model_type"] == "gemma2" else 1.0) + 0.1 * torch.randn(shape)
    if name.endswith(".bias"):
        return 0.1 * torch.randn(shape)
    return 0.3 * torch.randn(shape)


def write_fixture(path, cfg):
    weights = {name: random_weight(cfg, name, shape) for name, shape in weight_shapes(cfg).items()}
    # Left padding, as generation pads; rows longer than the tiny sliding windows.
    input_ids = torch.tensor([[5, 9, 3, 17, 2, 8, 12, 30, 1], [0, 0, 11, 6, 19, 7, 1, 4, 14], [0, 0, 0, 0, 0, 13, 21, 3, 9]])
    attention_mask = (input_ids != 0).long()
    with torch.no_grad():
        logits = FORWARD[cfg["model_type"]](cfg, weights, input_ids, attention_mask)
    fixture = {
        "config": cfg,
        "weights": {k: {"shape": list(v.shape), "data": v.flatten().tolist()} for k, v in weights.items()},
        "input_ids": input_ids.tolist(),
        "attention_mask": attention_mask.tolist(),
        "logits": logits.tolist(),
    }
    with open(path, "w") as f:
        json.dump(fixture, f)
    print(path, tuple(logits.shape), os.path.getsize(path), "bytes")


def main(out_dir):
    from reference_configs import CONFIGS

    torch.manual_seed(0)
    os.makedirs(out_dir, exist_ok=True)
    for name, cfg in CONFIGS.items():
        write_fixture(f"{out_dir}/{name}.json", cfg)


if __name__ == "__main__":
    main(sys.argv[1])
