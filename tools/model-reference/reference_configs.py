"""The tiny configs of the fixtures: each exercises what sets its family apart (odd sizes, grouped
heads, windows shorter than the 9-token rows, rotary scalings that move every frequency band)."""

BASE = {"vocab_size": 32, "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 2, "num_attention_heads": 4,
        "num_key_value_heads": 2, "rms_norm_eps": 1e-6, "max_position_embeddings": 64, "hidden_act": "silu",
        "bos_token_id": 1, "eos_token_id": 2, "rope_theta": 10000.0}

CONFIGS = {
    # Llama 3.1/3.2's rope_scaling, original context 16 so that the 9 positions cross all three bands.
    "llama3-rope-scaling": {**BASE, "model_type": "llama", "architectures": ["LlamaForCausalLM"], "head_dim": 8,
                            "tie_word_embeddings": True, "rope_scaling": {"rope_type": "llama3", "factor": 8.0,
                            "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 16}},
    "llama-linear-rope": {**BASE, "model_type": "llama", "architectures": ["LlamaForCausalLM"], "tie_word_embeddings": False,
                          "rope_scaling": {"type": "linear", "factor": 4.0}},
    "qwen2": {**BASE, "model_type": "qwen2", "architectures": ["Qwen2ForCausalLM"], "tie_word_embeddings": True,
              "use_sliding_window": False, "sliding_window": 32, "max_window_layers": 2},
    "qwen3": {**BASE, "model_type": "qwen3", "architectures": ["Qwen3ForCausalLM"], "head_dim": 6, "tie_word_embeddings": False,
              "attention_bias": False, "use_sliding_window": False},
    "mistral": {**BASE, "model_type": "mistral", "architectures": ["MistralForCausalLM"], "tie_word_embeddings": False,
                "sliding_window": 3},
    "gemma2": {**BASE, "model_type": "gemma2", "architectures": ["Gemma2ForCausalLM"], "head_dim": 6, "num_hidden_layers": 3,
               "hidden_activation": "gelu_pytorch_tanh", "hidden_act": "gelu_pytorch_tanh", "query_pre_attn_scalar": 5,
               "attn_logit_softcapping": 1.5, "final_logit_softcapping": 2.5, "sliding_window": 4, "tie_word_embeddings": True,
               "attention_bias": False},
    "phi3": {**BASE, "model_type": "phi3", "architectures": ["Phi3ForCausalLM"], "tie_word_embeddings": False, "sliding_window": 5,
             "partial_rotary_factor": 0.5},
    "gpt-neox-parallel": {"model_type": "gpt_neox", "architectures": ["GPTNeoXForCausalLM"], "vocab_size": 32, "hidden_size": 16,
                          "intermediate_size": 28, "num_hidden_layers": 2, "num_attention_heads": 2, "rotary_pct": 0.25,
                          "rotary_emb_base": 10000, "layer_norm_eps": 1e-5, "hidden_act": "gelu", "use_parallel_residual": True,
                          "max_position_embeddings": 64, "tie_word_embeddings": False, "bos_token_id": 0, "eos_token_id": 0},
    "gpt-neox-sequential": {"model_type": "gpt_neox", "architectures": ["GPTNeoXForCausalLM"], "vocab_size": 32, "hidden_size": 12,
                            "intermediate_size": 20, "num_hidden_layers": 2, "num_attention_heads": 3, "rotary_pct": 1.0,
                            "rotary_emb_base": 500, "layer_norm_eps": 1e-5, "hidden_act": "gelu", "use_parallel_residual": False,
                            "max_position_embeddings": 64, "tie_word_embeddings": False, "bos_token_id": 0, "eos_token_id": 0},
}
