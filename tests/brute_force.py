"""The reference that beam search is tested against: every output sequence of a tiny model, scored."""

import itertools

import torch

from seq2seq_lib.text import EOS_ID, SOS_ID


def brute_force_scores(model, src, src_len, max_len, alpha, allowed):
    """Every output sequence, scored exactly as beam_search defines it."""
    model.eval()
    results = []
    with torch.no_grad():
        for m in range(max_len + 1):
            for prefix in itertools.product(allowed, repeat=m):
                emitted = list(prefix) + ([EOS_ID] if m < max_len else [])   # only a full-length output may lack <eos>
                tgt_in = torch.tensor([[SOS_ID] + emitted[:-1]])
                logp = model(src, src_len, tgt_in).log_softmax(-1)[0]               # (T, V)
                s = float(logp[torch.arange(len(emitted)), torch.tensor(emitted)].sum())
                results.append((list(prefix), s / len(emitted) ** alpha))
    return sorted(results, key=lambda h: h[1], reverse=True)
