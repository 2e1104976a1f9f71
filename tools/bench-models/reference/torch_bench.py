"""PyTorch side of `npm run bench:models`: the same measurements on the same model shapes.

One measurement per process (so peak RSS is that measurement's), printed as one JSON line:

    /usr/bin/python3 torch_bench.py --config stories260K --measure generate --batch 16 --threads 2
    /usr/bin/python3 torch_bench.py --config llama-256 --measure ppo-update --threads 2
    /usr/bin/python3 torch_bench.py --config stories260K --measure rl-iteration --threads 2
    /usr/bin/python3 torch_bench.py --config llama-256 --write-llama2c out.bin   # for llama2.c's run.c

Generation is a batched KV-cached sampling loop (fused q/k/v and gate/up products with weights
stored [in, out] — this torch build's generic BLAS multiplies a transposed weight, as F.linear
does, about 2x slower —, a preallocated cache written in place, grouped-query attention without
copies): the fastest plain PyTorch equivalent of what @rlgf/models does, not Hugging Face's
slower `generate`. The PPO update and the
RL iteration use the forward passes of golden_logits.py (ports of HF's modeling_llama/gpt2).
Written for torch 1.13 (Debian bookworm's python3-torch).
"""
import argparse
import json
import math
import resource
import struct
import time

import torch
import torch.nn.functional as F

from golden_logits import gpt2_forward, gpt2_weights, llama_forward, llama_weights

HUB_STORIES = "models/karpathy/tinyllamas/stories260K/stories260K.bin"
LLAMA_256 = {"family": "llama", "hidden_size": 256, "intermediate_size": 704, "num_hidden_layers": 6,
             "num_attention_heads": 8, "num_key_value_heads": 8, "vocab_size": 4096, "max_position_embeddings": 512,
             "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": True}
GPT2_SMALL = {"family": "gpt2", "n_embd": 768, "n_layer": 12, "n_head": 12, "vocab_size": 50257, "n_positions": 1024,
              "layer_norm_epsilon": 1e-5}


def read_llama2c(path):
    """A llama2.c checkpoint (legacy format, shared classifier) as HF-named weights and config."""
    with open(path, "rb") as f:
        dim, hidden, layers, heads, kv_heads, vocab, seq_len = struct.unpack("7i", f.read(28))
        data = torch.frombuffer(bytearray(f.read()), dtype=torch.float32)
    head_dim = dim // heads
    cfg = {"family": "llama", "hidden_size": dim, "intermediate_size": hidden, "num_hidden_layers": layers,
           "num_attention_heads": heads, "num_key_value_heads": kv_heads, "vocab_size": abs(vocab),
           "max_position_embeddings": seq_len, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": vocab > 0}
    offset = 0

    def take(*shape):
        nonlocal offset
        n = math.prod(shape)
        tensor = data[offset:offset + n].reshape(shape).clone()
        offset += n
        return tensor

    w = {"model.embed_tokens.weight": take(abs(vocab), dim)}
    per_layer = {name: [take(*shape) for _ in range(layers)] for name, shape in [
        ("input_layernorm.weight", (dim,)), ("self_attn.q_proj.weight", (heads * head_dim, dim)),
        ("self_attn.k_proj.weight", (kv_heads * head_dim, dim)), ("self_attn.v_proj.weight", (kv_heads * head_dim, dim)),
        ("self_attn.o_proj.weight", (dim, heads * head_dim)), ("post_attention_layernorm.weight", (dim,)),
        ("mlp.gate_proj.weight", (hidden, dim)), ("mlp.down_proj.weight", (dim, hidden)), ("mlp.up_proj.weight", (hidden, dim))]}
    for name, tensors in per_layer.items():
        for i, tensor in enumerate(tensors):
            w[f"model.layers.{i}.{name}"] = tensor
    w["model.norm.weight"] = take(dim)
    # llama2.c permutes q/k for its interleaved rotary; HF's rotate-half layout undoes that.
    for i in range(layers):
        for name, n_heads in (("q_proj", heads), ("k_proj", kv_heads)):
            key = f"model.layers.{i}.self_attn.{name}.weight"
            w[key] = w[key].view(n_heads, head_dim // 2, 2, dim).transpose(1, 2).reshape(n_heads * head_dim, dim)
    return cfg, w


def write_llama2c(path, cfg, w):
    """The inverse of read_llama2c (for timing llama2.c's run.c on the same shapes)."""
    d, heads, kv_heads = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    head_dim, layers = d // heads, cfg["num_hidden_layers"]
    parts = [w["model.embed_tokens.weight"]]
    for name in ["input_layernorm.weight", "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                 "self_attn.o_proj.weight", "post_attention_layernorm.weight", "mlp.gate_proj.weight",
                 "mlp.down_proj.weight", "mlp.up_proj.weight"]:
        for i in range(layers):
            t = w[f"model.layers.{i}.{name}"]
            if name in ("self_attn.q_proj.weight", "self_attn.k_proj.weight"):
                n = heads if name.startswith("self_attn.q") else kv_heads
                t = t.view(n, 2, head_dim // 2, d).transpose(1, 2).reshape(n * head_dim, d)
            parts.append(t)
    parts.append(w["model.norm.weight"])
    header = struct.pack("7i", d, cfg["intermediate_size"], layers, heads, kv_heads, cfg["vocab_size"], cfg["max_position_embeddings"])
    with open(path, "wb") as f:
        f.write(header)
        for t in parts:
            f.write(t.contiguous().numpy().tobytes())


def load(name, hub):
    torch.manual_seed(0)
    if name == "stories260K":
        return read_llama2c(f"{hub}/{HUB_STORIES}")
    if name == "llama-256":
        return dict(LLAMA_256), small_init(llama_weights(LLAMA_256))
    if name == "gpt2-small":
        return dict(GPT2_SMALL), small_init(gpt2_weights(GPT2_SMALL))
    raise ValueError(name)


def small_init(weights):
    """Matrices N(0, 0.02²) as @rlgf/models' random initialisation (golden_logits draws 0.3·N(0, 1))."""
    return {k: (v if v.dim() == 1 else v * (0.02 / 0.3)) for k, v in weights.items()}


# ---------------------------------------------------------------- generation with a KV cache
class LlamaDecoder:
    def __init__(self, cfg, w):
        self.cfg, L = cfg, cfg["num_hidden_layers"]
        self.d, self.h, self.kv = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
        self.hd, self.eps = self.d // self.h, cfg["rms_norm_eps"]
        self.embed = w["model.embed_tokens.weight"]
        in_out = lambda t: t.t().contiguous()
        self.head = in_out(w["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else w["lm_head.weight"])
        p = lambda i, n: w[f"model.layers.{i}.{n}"]
        self.qkv = [in_out(torch.cat([p(i, "self_attn.q_proj.weight"), p(i, "self_attn.k_proj.weight"), p(i, "self_attn.v_proj.weight")])) for i in range(L)]
        self.o = [in_out(p(i, "self_attn.o_proj.weight")) for i in range(L)]
        self.gate_up = [in_out(torch.cat([p(i, "mlp.gate_proj.weight"), p(i, "mlp.up_proj.weight")])) for i in range(L)]
        self.down = [in_out(p(i, "mlp.down_proj.weight")) for i in range(L)]
        self.n1 = [p(i, "input_layernorm.weight") for i in range(L)]
        self.n2 = [p(i, "post_attention_layernorm.weight") for i in range(L)]
        self.norm = w["model.norm.weight"]
        inv = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, self.hd, 2).float() / self.hd))
        freqs = torch.outer(torch.arange(cfg["max_position_embeddings"]).float(), inv)
        emb = torch.cat([freqs, freqs], -1)
        self.cos, self.sin = emb.cos(), emb.sin()

    def new_cache(self, batch, length):
        shape = (batch, self.kv, length, self.hd)
        return [(torch.zeros(shape), torch.zeros(shape)) for _ in range(self.cfg["num_hidden_layers"])]

    def rms(self, x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * w

    def rotate(self, x, cos, sin):
        half = self.hd // 2
        return x * cos + torch.cat([-x[..., half:], x[..., :half]], -1) * sin

    def step(self, ids, start, cache):
        b, s = ids.shape
        end, group = start + s, self.h // self.kv
        x = self.embed[ids]
        cos, sin = self.cos[start:end][None, :, None], self.sin[start:end][None, :, None]
        mask = torch.full((s, end), float("-inf")).triu(start + 1) if s > 1 else None
        for i, (ck, cv) in enumerate(cache):
            qkv = (self.rms(x, self.n1[i]) @ self.qkv[i]).view(b, s, self.h + 2 * self.kv, self.hd)
            q = self.rotate(qkv[:, :, :self.h], cos, sin)
            ck[:, :, start:end] = self.rotate(qkv[:, :, self.h:self.h + self.kv], cos, sin).transpose(1, 2)
            cv[:, :, start:end] = qkv[:, :, self.h + self.kv:].transpose(1, 2)
            q = q.transpose(1, 2).reshape(b, self.kv, group * s, self.hd)
            scores = (q @ ck[:, :, :end].transpose(2, 3)) / math.sqrt(self.hd)
            if mask is not None:
                scores = (scores.view(b, self.kv, group, s, end) + mask).view(b, self.kv, group * s, end)
            attn = (torch.softmax(scores, -1) @ cv[:, :, :end]).view(b, self.h, s, self.hd).transpose(1, 2).reshape(b, s, self.d)
            x = x + attn @ self.o[i]
            gate, up = (self.rms(x, self.n2[i]) @ self.gate_up[i]).chunk(2, -1)
            x = x + (F.silu(gate) * up) @ self.down[i]
        return self.rms(x[:, -1], self.norm) @ self.head


class Gpt2Decoder:
    def __init__(self, cfg, w):
        self.cfg, self.w = cfg, w
        self.d, self.h, self.eps = cfg["n_embd"], cfg["n_head"], cfg["layer_norm_epsilon"]
        self.hd = self.d // self.h

    def new_cache(self, batch, length):
        shape = (batch, self.h, length, self.hd)
        return [(torch.zeros(shape), torch.zeros(shape)) for _ in range(self.cfg["n_layer"])]

    def ln(self, x, p):
        return F.layer_norm(x, (self.d,), self.w[p + ".weight"], self.w[p + ".bias"], self.eps)

    def step(self, ids, start, cache):
        w, (b, s), end = self.w, ids.shape, start + ids.shape[1]
        x = w["transformer.wte.weight"][ids] + w["transformer.wpe.weight"][start:end]
        mask = torch.full((s, end), float("-inf")).triu(start + 1) if s > 1 else None
        for i, (ck, cv) in enumerate(cache):
            p = f"transformer.h.{i}."
            qkv = torch.addmm(w[p + "attn.c_attn.bias"], self.ln(x, p + "ln_1").view(b * s, self.d), w[p + "attn.c_attn.weight"])
            q, k, v = (z.view(b, s, self.h, self.hd).transpose(1, 2) for z in qkv.view(b, s, 3 * self.d).split(self.d, 2))
            ck[:, :, start:end], cv[:, :, start:end] = k, v
            scores = (q @ ck[:, :, :end].transpose(2, 3)) / math.sqrt(self.hd)
            if mask is not None:
                scores = scores + mask
            attn = (torch.softmax(scores, -1) @ cv[:, :, :end]).transpose(1, 2).reshape(b * s, self.d)
            x = x + torch.addmm(w[p + "attn.c_proj.bias"], attn, w[p + "attn.c_proj.weight"]).view(b, s, self.d)
            inner = F.gelu(torch.addmm(w[p + "mlp.c_fc.bias"], self.ln(x, p + "ln_2").view(b * s, self.d), w[p + "mlp.c_fc.weight"]), approximate="tanh")
            x = x + torch.addmm(w[p + "mlp.c_proj.bias"], inner, w[p + "mlp.c_proj.weight"]).view(b, s, self.d)
        return self.ln(x[:, -1], "transformer.ln_f") @ w["transformer.wte.weight"].T


def decoder(cfg, w):
    return LlamaDecoder(cfg, w) if cfg["family"] == "llama" else Gpt2Decoder(cfg, w)


@torch.no_grad()
def sample(model, prompts, new_tokens, generator):
    """Multinomial sampling (temperature 1) of `new_tokens` after `prompts` [B, P]; returns the tokens."""
    cache = model.new_cache(prompts.shape[0], prompts.shape[1] + new_tokens)
    logits = model.step(prompts, 0, cache)
    out = []
    for t in range(new_tokens):
        token = torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)
        out.append(token)
        if t + 1 < new_tokens:
            logits = model.step(token, prompts.shape[1] + t, cache)
    return torch.cat(out, 1)


def prompts_for(cfg, batch, length):
    vocab = cfg["vocab_size"]
    return torch.tensor([[(row * 7 + j * 13 + 1) % vocab for j in range(length)] for row in range(batch)])


def measure_generate(cfg, w, batch, prompt_tokens=64, new_tokens=48, repeats=3):
    model, generator = decoder(cfg, w), torch.Generator().manual_seed(0)
    prompts = prompts_for(cfg, batch, prompt_tokens)
    sample(model, prompts, new_tokens, generator)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        sample(model, prompts, new_tokens, generator)
        times.append(time.perf_counter() - started)
    return {"tokens_per_s": [batch * new_tokens / t for t in times]}


# ---------------------------------------------------------------- the PPO update
def forward_of(cfg):
    return llama_forward if cfg["family"] == "llama" else gpt2_forward


def token_scores(cfg, params, ids):
    """Log-probs of each next token and entropies, [B, T-1]."""
    logits = forward_of(cfg)(cfg, params, ids, torch.ones_like(ids))
    log_p = torch.log_softmax(logits[:, :-1], -1)
    picked = log_p.gather(-1, ids[:, 1:, None]).squeeze(-1)
    return picked, -(log_p.exp() * log_p).sum(-1), logits


def ppo_policy_loss(log_p, entropy, old_log_p, advantages, clip=0.2, entropy_coef=0.01):
    ratio = torch.exp(log_p - old_log_p)
    surrogate = torch.min(ratio * advantages, ratio.clamp(1 - clip, 1 + clip) * advantages)
    return -surrogate.mean() - entropy_coef * entropy.mean()


def ppo_inputs(cfg, rows, length):
    vocab = cfg["vocab_size"]
    ids = torch.tensor([[(r * 31 + j * 17 + 3) % vocab for j in range(length)] for r in range(rows)])
    old = torch.full((rows, length - 1), -math.log(vocab)) + 0.01 * torch.arange(length - 1) / length
    adv = torch.tensor([[math.sin(r * 0.7 + j * 0.3) for j in range(length - 1)] for r in range(rows)])
    return ids, old, adv


def measure_ppo_update(cfg, w, rows, length=112, steps=3):
    params = {k: v.clone().requires_grad_(True) for k, v in w.items()}
    optimizer = torch.optim.AdamW(params.values(), lr=1e-5)
    ids, old, adv = ppo_inputs(cfg, rows, length)

    def step():
        log_p, entropy, _ = token_scores(cfg, params, ids)
        loss = ppo_policy_loss(log_p, entropy, old, adv)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    step()
    times = []
    for _ in range(steps):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return {"tokens_per_s": [rows * length / t for t in times]}


# ---------------------------------------------------------------- one RL iteration
def measure_rl_iteration(cfg, w, samples, generation_batch, guide_batch, minibatch, minibatches, prompt=64, new=48):
    """The work of one AggreVaTeD iteration of the IMDB recipe, phase by phase (see the docstring)."""
    policy = {k: v.clone().requires_grad_(True) for k, v in w.items()}
    critic = {k: v.clone().requires_grad_(True) for k, v in w.items()}
    # The critic is a second trunk with a scalar head. golden_logits' forward returns logits, so the
    # head reads those (the LM head product is computed either way, as in @rlgf/models).
    value_head = torch.zeros(cfg["vocab_size"], requires_grad=True)
    policy_opt = torch.optim.AdamW(policy.values(), lr=1e-4)
    critic_opt = torch.optim.AdamW([*critic.values(), value_head], lr=1e-4)
    generator = torch.Generator().manual_seed(0)
    prompts = prompts_for(cfg, samples, prompt)
    phases = {}

    def timed(name, fn):
        started = time.perf_counter()
        result = fn()
        phases[name] = (time.perf_counter() - started) * 1000
        return result

    def generate_all(weights, batch):
        model = decoder(cfg, {k: v.detach() for k, v in weights.items()})
        return torch.cat([torch.cat([p, sample(model, p, new, generator)], 1) for p in prompts.split(batch)])

    timed("roll_in_ms", lambda: generate_all(policy, generation_batch))
    sequences = timed("roll_out_ms", lambda: generate_all(w, guide_batch))

    def values_of(params, ids):
        return forward_of(cfg)(cfg, params, ids, torch.ones_like(ids)) @ value_head

    def score():
        with torch.no_grad():
            for chunk in sequences.split(generation_batch):
                token_scores(cfg, policy, chunk)
                token_scores(cfg, w, chunk)
                values_of(critic, chunk)

    timed("scoring_ms", score)
    old = torch.zeros(minibatch, prompt + new - 1)
    adv = torch.randn(minibatch, prompt + new - 1, generator=generator)

    def update():
        for m in range(minibatches):
            rows = sequences[(m * minibatch) % samples:][:minibatch]
            log_p, entropy, _ = token_scores(cfg, policy, rows)
            loss = ppo_policy_loss(log_p, entropy, old[: rows.shape[0]], adv[: rows.shape[0]])
            reference_log_p, _, _ = token_scores(cfg, policy, rows.flip(0))
            loss = loss - 0.1 * reference_log_p.mean()
            policy_opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(policy.values(), 0.5)
            policy_opt.step()
            values = values_of(critic, rows)
            value_loss = 0.5 * (values - 1.0).pow(2).mean()
            critic_opt.zero_grad()
            value_loss.backward()
            torch.nn.utils.clip_grad_norm_([*critic.values(), value_head], 0.5)
            critic_opt.step()

    timed("update_ms", update)
    phases["iteration_ms"] = sum(phases.values())
    return phases


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True, choices=["stories260K", "llama-256", "gpt2-small"])
    parser.add_argument("--measure", choices=["generate", "ppo-update", "rl-iteration"])
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--rows", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--hub", default="../shared/hub")
    parser.add_argument("--write-llama2c")
    parser.add_argument("--samples", type=int, default=64)
    parser.add_argument("--generation-batch", type=int, default=32)
    parser.add_argument("--guide-batch", type=int, default=16)
    parser.add_argument("--minibatch", type=int, default=32)
    parser.add_argument("--minibatches", type=int, default=8)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    cfg, w = load(args.config, args.hub)
    if args.write_llama2c:
        write_llama2c(args.write_llama2c, cfg, w)
        print(json.dumps({"written": args.write_llama2c}))
        return
    if args.measure == "generate":
        result = measure_generate(cfg, w, args.batch)
    elif args.measure == "ppo-update":
        result = measure_ppo_update(cfg, w, args.rows)
    else:
        result = measure_rl_iteration(cfg, w, args.samples, args.generation_batch, args.guide_batch, args.minibatch, args.minibatches)
    result.update({"torch": torch.__version__, "threads": torch.get_num_threads(),
                   "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
