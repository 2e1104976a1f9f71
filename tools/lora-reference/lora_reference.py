"""An adapter in PEFT's layout, written independently of the TypeScript code, and what the base
with that adapter merged decodes greedily in PyTorch: the fixture of
packages/models/src/lora/peft-parity.spec.ts.

PEFT cannot be installed here (no PyPI), so this writes what PEFT's `save_pretrained` writes, from
its documented format (src/peft/utils/save_and_load.py, src/peft/tuners/lora/layer.py):
`adapter_config.json` (peft_type LORA, r, lora_alpha, target_modules, ...) and
`adapter_model.safetensors` with `base_model.model.<module path>.lora_A.weight` [r, in] and
`lora_B.weight` [out, r], and merges as `merge_and_unload` does: W' = W + (lora_alpha / r) * B @ A.
The forward pass is tools/model-reference's LlamaForCausalLM written out from transformers.

Needs torch (Debian: `apt-get update && apt-get install -y python3-torch`), then:

    /usr/bin/python3 tools/lora-reference/lora_reference.py packages/models/src/lora/__fixtures__/peft-llama
"""
import json
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "model-reference"))
from model_reference import llama_like, random_weight  # noqa: E402
from reference_configs import BASE  # noqa: E402
from reference_shapes import weight_shapes  # noqa: E402

CONFIG = {**BASE, "model_type": "llama", "architectures": ["LlamaForCausalLM"], "tie_word_embeddings": False}
R, ALPHA = 4, 8
TARGETS = ["q_proj", "v_proj", "gate_proj", "down_proj"]
NEW_TOKENS = 6


def write_safetensors(path, tensors):
    """The safetensors layout: u64 header length, JSON header (offsets into the data), raw F32 data."""
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name, tensor in tensors.items():
        data = tensor.contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def greedy(weights, prompts):
    """Left-padded batch, full recomputation per step, argmax of the last position."""
    width = max(len(p) for p in prompts)
    ids = torch.tensor([[0] * (width - len(p)) + p for p in prompts])
    mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
    for _ in range(NEW_TOKENS):
        logits = llama_like(CONFIG, weights, ids, mask)
        ids = torch.cat([ids, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
        mask = torch.cat([mask, torch.ones(len(prompts), 1, dtype=torch.long)], dim=1)
    return ids, mask, llama_like(CONFIG, weights, ids, mask)


def main(out_dir):
    torch.manual_seed(17)
    os.makedirs(out_dir, exist_ok=True)
    base = {name: random_weight(CONFIG, name, shape) for name, shape in weight_shapes(CONFIG).items()}
    adapter, merged = {}, dict(base)
    for layer in range(CONFIG["num_hidden_layers"]):
        for target in TARGETS:
            module = f"model.layers.{layer}.{'mlp' if target in ('gate_proj', 'down_proj') else 'self_attn'}.{target}"
            out_features, in_features = base[module + ".weight"].shape
            a, b = 0.3 * torch.randn(R, in_features), 0.3 * torch.randn(out_features, R)
            adapter[f"base_model.model.{module}.lora_A.weight"] = a
            adapter[f"base_model.model.{module}.lora_B.weight"] = b
            merged[module + ".weight"] = base[module + ".weight"] + (ALPHA / R) * (b @ a)
    config = {"alpha_pattern": {}, "auto_mapping": None, "base_model_name_or_path": "tiny-random-llama", "bias": "none",
              "fan_in_fan_out": False, "inference_mode": True, "init_lora_weights": True, "layers_pattern": None,
              "layers_to_transform": None, "lora_alpha": ALPHA, "lora_dropout": 0.1, "modules_to_save": None,
              "peft_type": "LORA", "r": R, "rank_pattern": {}, "revision": None, "target_modules": TARGETS,
              "task_type": "CAUSAL_LM", "use_dora": False, "use_rslora": False}
    with open(f"{out_dir}/adapter_config.json", "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
    write_safetensors(f"{out_dir}/adapter_model.safetensors", adapter)
    prompts = [[5, 9, 3, 17, 2, 8], [11, 6, 19], [13, 21, 3, 9, 4]]
    with torch.no_grad():
        ids, mask, logits = greedy(merged, prompts)
        base_ids, _, _ = greedy(base, prompts)
    reference = {"config": CONFIG, "weights": {k: {"shape": list(v.shape), "data": v.flatten().tolist()} for k, v in base.items()},
                 "prompts": prompts, "ids": ids.tolist(), "attention_mask": mask.tolist(), "logits": logits.tolist(),
                 "base_ids": base_ids.tolist()}
    with open(f"{out_dir}/reference.json", "w") as f:
        json.dump(reference, f)
    print(out_dir, "merged greedy", ids[:, -NEW_TOKENS:].tolist(), "base greedy", base_ids[:, -NEW_TOKENS:].tolist())


if __name__ == "__main__":
    main(sys.argv[1])
