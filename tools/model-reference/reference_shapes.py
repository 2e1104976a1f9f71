"""Hugging Face weight names and PyTorch shapes of each family, as its modeling file declares them."""


def llama_like_shapes(cfg):
    kind, d, inner, v = cfg["model_type"], cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    nh, nkv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    dh = cfg.get("head_dim") or d // nh
    shapes = {"model.embed_tokens.weight": (v, d), "model.norm.weight": (d,)}
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        if kind == "phi3":
            shapes[p + "self_attn.qkv_proj.weight"] = ((nh + 2 * nkv) * dh, d)
            shapes[p + "mlp.gate_up_proj.weight"] = (2 * inner, d)
        else:
            shapes.update({p + "self_attn.q_proj.weight": (nh * dh, d), p + "self_attn.k_proj.weight": (nkv * dh, d),
                           p + "self_attn.v_proj.weight": (nkv * dh, d)})
            shapes.update({p + "mlp.gate_proj.weight": (inner, d), p + "mlp.up_proj.weight": (inner, d)})
        if kind == "qwen2":
            shapes.update({p + "self_attn.q_proj.bias": (nh * dh,), p + "self_attn.k_proj.bias": (nkv * dh,),
                           p + "self_attn.v_proj.bias": (nkv * dh,)})
        if kind == "qwen3":
            shapes.update({p + "self_attn.q_norm.weight": (dh,), p + "self_attn.k_norm.weight": (dh,)})
        if kind == "gemma2":
            shapes.update({p + "pre_feedforward_layernorm.weight": (d,), p + "post_feedforward_layernorm.weight": (d,)})
        shapes[p + "self_attn.o_proj.weight"] = (d, nh * dh)
        shapes[p + "mlp.down_proj.weight"] = (d, inner)
        shapes[p + "input_layernorm.weight"] = (d,)
        shapes[p + "post_attention_layernorm.weight"] = (d,)
    if not cfg.get("tie_word_embeddings", False):
        shapes["lm_head.weight"] = (v, d)
    return shapes


def gpt_neox_shapes(cfg):
    d, v, inner = cfg["hidden_size"], cfg["vocab_size"], cfg["intermediate_size"]
    shapes = {"gpt_neox.embed_in.weight": (v, d), "gpt_neox.final_layer_norm.weight": (d,),
              "gpt_neox.final_layer_norm.bias": (d,), "embed_out.weight": (v, d)}
    for i in range(cfg["num_hidden_layers"]):
        p = f"gpt_neox.layers.{i}."
        for norm in ("input_layernorm", "post_attention_layernorm"):
            shapes.update({p + norm + ".weight": (d,), p + norm + ".bias": (d,)})
        shapes.update({p + "attention.query_key_value.weight": (3 * d, d), p + "attention.query_key_value.bias": (3 * d,),
                       p + "attention.dense.weight": (d, d), p + "attention.dense.bias": (d,),
                       p + "mlp.dense_h_to_4h.weight": (inner, d), p + "mlp.dense_h_to_4h.bias": (inner,),
                       p + "mlp.dense_4h_to_h.weight": (d, inner), p + "mlp.dense_4h_to_h.bias": (d,)})
    return shapes


def weight_shapes(cfg):
    return gpt_neox_shapes(cfg) if cfg["model_type"] == "gpt_neox" else llama_like_shapes(cfg)
