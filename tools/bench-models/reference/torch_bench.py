"""PyTorch speed of the same training step that `npm run bench:models` measures, for comparison.

One step = forward over 16 x 112 tokens, loss = -mean(log p(next token)) - 0.01 * mean(entropy),
backward, AdamW update; with the minimal HF-equivalent forward passes of golden_logits.py and
random weights in the benchmark's shapes. Run by hand (torch 1.13 from Debian's python3-torch):

    /usr/bin/python3 tools/bench-models/reference/torch_bench.py [--threads 1]
"""
import argparse
import time

import torch

from golden_logits import gpt2_forward, gpt2_weights, llama_forward, llama_weights

STORIES_260K = {"hidden_size": 64, "intermediate_size": 172, "num_hidden_layers": 5, "num_attention_heads": 8,
                "num_key_value_heads": 4, "vocab_size": 512, "max_position_embeddings": 512, "rms_norm_eps": 1e-5,
                "rope_theta": 10000.0, "tie_word_embeddings": True}
GPT_4x128 = {"n_embd": 128, "n_layer": 4, "n_head": 4, "vocab_size": 50257, "n_positions": 1024, "layer_norm_epsilon": 1e-5}
GPT2_SMALL = {"n_embd": 768, "n_layer": 12, "n_head": 12, "vocab_size": 50257, "n_positions": 1024, "layer_norm_epsilon": 1e-5}


def train_speed(forward, cfg, weights, steps, rows=16, length=112):
    params = {k: v.clone().requires_grad_(True) for k, v in weights.items()}
    optimizer = torch.optim.AdamW(params.values(), lr=1e-4)
    vocab = cfg["vocab_size"]
    ids = torch.tensor([[(r * 31 + j * 17 + 3) % vocab for j in range(length)] for r in range(rows)])
    mask = torch.ones_like(ids)

    def step():
        logits = forward(cfg, params, ids, mask)
        log_p = torch.log_softmax(logits[:, :-1], -1)
        picked = log_p.gather(-1, ids[:, 1:, None]).squeeze(-1)
        entropy = -(log_p.exp() * log_p).sum(-1)
        loss = -(picked.mean() + 0.01 * entropy.mean())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return rows * length * steps / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--skip-gpt2-small", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print("| model | train step 16 x 112, tokens/s |")
    print("| --- | ---: |")
    print(f"| stories260K shape | {train_speed(llama_forward, STORIES_260K, llama_weights(STORIES_260K), 5):.0f} |")
    print(f"| gpt 4x128 (50257 vocab) | {train_speed(gpt2_forward, GPT_4x128, gpt2_weights(GPT_4x128), 3):.0f} |")
    if not args.skip_gpt2_small:
        print(f"| gpt2-small shape | {train_speed(gpt2_forward, GPT2_SMALL, gpt2_weights(GPT2_SMALL), 1):.0f} |")


if __name__ == "__main__":
    main()
