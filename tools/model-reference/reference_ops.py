"""Building blocks of the reference forward passes, each as transformers computes it (float32, eval mode)."""
import math

import torch

NEG = torch.finfo(torch.float32).min


def rms_norm(x, weight, eps):
    """LlamaRMSNorm / Qwen2RMSNorm / MistralRMSNorm / Phi3RMSNorm: normalise in float32, then scale."""
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def gemma_rms_norm(x, weight, eps):
    """Gemma2RMSNorm: the weight is an offset from one, `x̂ · (1 + w)`."""
    return (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)) * (1.0 + weight)


def layer_norm(x, weight, bias, eps):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), weight, bias, eps)


def gelu_tanh(x):
    """gelu_pytorch_tanh (ACT2FN), the tanh approximation."""
    return torch.nn.functional.gelu(x, approximate="tanh")


ACT = {"silu": torch.nn.functional.silu, "gelu": torch.nn.functional.gelu, "gelu_pytorch_tanh": gelu_tanh}


def inverse_frequencies(dim, base, rope_scaling=None):
    """`_compute_default_rope_parameters`, and the `linear` and `llama3` variants of modeling_rope_utils."""
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    if rope_scaling is None:
        return inv_freq
    kind = rope_scaling.get("rope_type", rope_scaling.get("type"))
    factor = rope_scaling["factor"]
    if kind == "linear":
        return inv_freq / factor
    assert kind == "llama3", kind
    low, high = rope_scaling["low_freq_factor"], rope_scaling["high_freq_factor"]
    old_context = rope_scaling["original_max_position_embeddings"]
    low_freq_wavelen, high_freq_wavelen = old_context / low, old_context / high
    wavelen = 2 * math.pi / inv_freq
    inv_freq_llama = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    smooth = (old_context / wavelen - low) / (high - low)
    smoothed = (1 - smooth) * inv_freq_llama / factor + smooth * inv_freq_llama
    medium = ~(wavelen < high_freq_wavelen) * ~(wavelen > low_freq_wavelen)
    return torch.where(medium, smoothed, inv_freq_llama)


def rotary_cos_sin(inv_freq, position_ids):
    """The *RotaryEmbedding.forward of every family: [B, s, rotary_dim] in rotate-half layout."""
    freqs = (inv_freq[None, :, None].float() @ position_ids[:, None, :].float()).transpose(1, 2)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2 :]
    return torch.cat((-x2, x1), dim=-1)


def apply_rotary(x, cos, sin):
    """apply_rotary_pos_emb on [B, H, s, Dh]; with a partial rotary (GPT-NeoX, Phi-3) the first
    `rotary_dim` features rotate and the rest pass through."""
    cos, sin = cos.unsqueeze(1), sin.unsqueeze(1)
    rotary_dim = cos.shape[-1]
    x_rot, x_pass = x[..., :rotary_dim], x[..., rotary_dim:]
    return torch.cat(((x_rot * cos) + (rotate_half(x_rot) * sin), x_pass), dim=-1)


def attention(q, k, v, mask, scaling, softcap=None):
    """eager_attention_forward: grouped heads repeated (repeat_kv), scores scaled, optionally
    soft-capped (Gemma 2) before the additive mask, softmax in float32."""
    groups = q.shape[1] // k.shape[1]
    k, v = k.repeat_interleave(groups, dim=1), v.repeat_interleave(groups, dim=1)
    scores = torch.matmul(q, k.transpose(2, 3)) * scaling
    if softcap is not None:
        scores = torch.tanh(scores / softcap) * softcap
    weights = torch.softmax(scores + mask, dim=-1, dtype=torch.float32)
    return torch.matmul(weights, v).transpose(1, 2).reshape(q.shape[0], q.shape[2], -1)


def causal_mask(attention_mask, sliding_window=None):
    """masking_utils' causal mask (kv_idx <= q_idx) and padding mask, and with a window its
    sliding_window_overlay (kv_idx > q_idx - sliding_window): the last `sliding_window` columns,
    the query's own included. Additive, [B, 1, s, s]."""
    s = attention_mask.shape[1]
    q_idx = torch.arange(s)[:, None]
    kv_idx = torch.arange(s)[None, :]
    allowed = (kv_idx <= q_idx)[None] & attention_mask[:, None, :].bool()
    if sliding_window is not None:
        allowed = allowed & (kv_idx > q_idx - sliding_window)[None]
    return torch.where(allowed, 0.0, NEG)[:, None]


def position_ids_from_mask(attention_mask):
    """Real tokens count from 0 after left padding, as generate() computes them."""
    return (attention_mask.long().cumsum(-1) - 1).clamp(min=0)
