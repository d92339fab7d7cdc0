"""seq2seq_lib.transformer: parity with PyTorch, masks, positions, the Transformer through the seq2seq interface."""

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from seq2seq_lib import PAD_ID, SOS_ID, Vocab, fit, sequence_cross_entropy
from seq2seq_lib.seq2seq import EncoderDecoder, beam_search, greedy_decode, pair_loader, translate
from seq2seq_lib.transformer import (MultiHeadAttention, PositionalEncoding, TransformerDecoder, TransformerEncoder,
                                     causal_mask, padding_mask, scaled_dot_product_attention,
                                     sinusoidal_positional_encoding, transformer_seq2seq)


# ----------------------------------------------------------------------------------------- attention
def test_attention_matches_pytorch_with_and_without_masks():
    torch.manual_seed(0)
    q, k, v = torch.randn(2, 3, 5, 8), torch.randn(2, 3, 7, 8), torch.randn(2, 3, 7, 4)
    out, w = scaled_dot_product_attention(q, k, v)
    assert (out - F.scaled_dot_product_attention(q, k, v)).abs().max() < 1e-6
    assert torch.allclose(w.sum(-1), torch.ones(2, 3, 5))
    allowed = torch.rand(5, 7) < 0.5
    allowed[:, 0] = True
    additive = torch.zeros(5, 7).masked_fill(~allowed, -math.inf)
    for mask in (allowed, additive):
        out, w = scaled_dot_product_attention(q, k, v, mask)
        assert (out - F.scaled_dot_product_attention(q, k, v, attn_mask=mask)).abs().max() < 1e-6
        assert (w[..., ~allowed] == 0).all()


def test_attention_all_masked_row_is_nan_and_bad_shapes_raise():
    q = torch.randn(1, 3, 4)
    out, _ = scaled_dot_product_attention(q, q, q, torch.full((3, 3), -math.inf))
    assert torch.isnan(out).all()
    with pytest.raises(ValueError, match="shapes do not fit"):
        scaled_dot_product_attention(q, torch.randn(1, 3, 5), q)
    with pytest.raises(ValueError, match="at least 2"):
        scaled_dot_product_attention(torch.randn(4), q, q)


def _copy_to_pytorch(mha: MultiHeadAttention) -> nn.MultiheadAttention:
    D = mha.q_proj.in_features
    ref = nn.MultiheadAttention(D, mha.nhead, batch_first=True)
    with torch.no_grad():
        ref.in_proj_weight.copy_(torch.cat([mha.q_proj.weight, mha.k_proj.weight, mha.v_proj.weight]))
        ref.in_proj_bias.copy_(torch.cat([mha.q_proj.bias, mha.k_proj.bias, mha.v_proj.bias]))
        ref.out_proj.load_state_dict(mha.out_proj.state_dict())
    return ref


def test_multi_head_attention_matches_nn_multihead_attention():
    torch.manual_seed(0)
    mha = MultiHeadAttention(16, 4)
    ref = _copy_to_pytorch(mha)
    x, mem = torch.randn(3, 6, 16), torch.randn(3, 7, 16)
    pad = padding_mask(torch.tensor([7, 3, 5]))
    with torch.no_grad():
        ours, w = mha(x, mem, mem, key_padding_mask=pad)
        theirs, w_ref = ref(x, mem, mem, key_padding_mask=pad, average_attn_weights=False)
        assert (ours - theirs).abs().max() < 1e-5 and (w - w_ref).abs().max() < 1e-5
        ours, _ = mha(x, x, x, attn_mask=causal_mask(6))
        theirs, _ = ref(x, x, x, attn_mask=causal_mask(6))
        assert (ours - theirs).abs().max() < 1e-5


def test_attend_without_weights_is_the_same_computation():
    torch.manual_seed(0)
    mha = MultiHeadAttention(16, 4)
    x, mem = torch.randn(3, 6, 16, requires_grad=True), torch.randn(3, 7, 16)
    pad = padding_mask(torch.tensor([7, 3, 5]))
    for key, masks in ((mem, dict(key_padding_mask=pad)), (x, dict(attn_mask=causal_mask(6))),
                       (x, dict(attn_mask=causal_mask(6), key_padding_mask=padding_mask(torch.tensor([6, 4, 5])))),
                       (mem, {})):
        k, v = mha.project_kv(key, key)
        slow, weights = mha.attend(x, k, v, **masks)
        fast, none = mha.attend(x, k, v, **masks, need_weights=False)
        assert none is None and weights.shape == (3, 4, 6, key.shape[1])
        assert (slow - fast).abs().max() < 1e-5
        g_slow, = torch.autograd.grad(slow.sum(), x, retain_graph=True)
        g_fast, = torch.autograd.grad(fast.sum(), x)
        assert (g_slow - g_fast).abs().max() < 1e-4


def test_multi_head_attention_validates():
    with pytest.raises(ValueError, match="divisible"):
        MultiHeadAttention(10, 3)
    with pytest.raises(ValueError, match=r"\(B, T, 16\)"):
        MultiHeadAttention(16, 4)(torch.randn(2, 3, 8), torch.randn(2, 3, 8), torch.randn(2, 3, 8))


def test_self_attention_is_permutation_equivariant():
    torch.manual_seed(0)
    mha = MultiHeadAttention(8, 2).eval()
    x, perm = torch.randn(2, 5, 8), torch.tensor([3, 0, 4, 1, 2])
    with torch.no_grad():
        assert torch.allclose(mha(x, x, x)[0][:, perm], mha(x[:, perm], x[:, perm], x[:, perm])[0], atol=1e-6)


# ------------------------------------------------------------------------------ positions and masks
def test_sinusoidal_encoding_values_and_errors():
    pe = sinusoidal_positional_encoding(10, 6)
    assert pe.shape == (10, 6)
    assert torch.allclose(pe[0], torch.tensor([0.0, 1.0] * 3))
    assert math.isclose(pe[3, 2].item(), math.sin(3 / 10000 ** (2 / 6)), rel_tol=1e-5)
    assert math.isclose(pe[3, 5].item(), math.cos(3 / 10000 ** (4 / 6)), rel_tol=1e-5)
    with pytest.raises(ValueError, match="even"):
        sinusoidal_positional_encoding(10, 5)
    with pytest.raises(ValueError, match="max_len"):
        sinusoidal_positional_encoding(0, 4)


def test_positional_encoding_module_offset_and_errors():
    module = PositionalEncoding(4, max_len=8)
    x = torch.zeros(2, 3, 4)
    assert torch.equal(module(x, offset=2)[0], sinusoidal_positional_encoding(8, 4)[2:5])
    with pytest.raises(ValueError, match="max_len"):
        module(x, offset=6)
    with pytest.raises(ValueError, match=r"\(B, T, 4\)"):
        module(torch.zeros(3, 4))


def test_causal_mask_is_pytorch_and_offset_shifts_it():
    assert torch.equal(causal_mask(6), nn.Transformer.generate_square_subsequent_mask(6))
    shifted = causal_mask(2, offset=3)                             # queries at positions 3 and 4
    assert shifted.shape == (2, 5)
    assert torch.equal(shifted, causal_mask(5)[3:])
    with pytest.raises(ValueError, match="offset"):
        causal_mask(3, offset=-1)
    with pytest.raises(ValueError, match="size"):
        causal_mask(0)


def test_padding_mask_values_and_errors():
    assert padding_mask(torch.tensor([3, 1]), 4).tolist() == [[False, False, False, True], [False, True, True, True]]
    assert padding_mask(torch.tensor([2, 3])).shape == (2, 3)
    with pytest.raises(ValueError, match="shorter"):
        padding_mask(torch.tensor([5]), 3)
    with pytest.raises(ValueError, match=">= 1"):
        padding_mask(torch.tensor([0, 2]))
    with pytest.raises(ValueError, match="integer"):
        padding_mask(torch.tensor([1.0, 2.0]))


# ------------------------------------------------------------------------------------ the model
def _batch():
    torch.manual_seed(0)
    src = torch.randint(4, 20, (3, 7))
    src_len = torch.tensor([7, 4, 6])
    src[1, 4:] = PAD_ID
    src[2, 6:] = PAD_ID
    tgt_in = torch.randint(4, 25, (3, 6))
    tgt_in[:, 0] = SOS_ID
    return src, src_len, tgt_in


@pytest.mark.parametrize("cache", [True, False])
def test_step_by_step_equals_teacher_forced_pass(cache):
    model = transformer_seq2seq(20, 25, d_model=32, nhead=4, num_layers=2, cache=cache).eval()
    src, src_len, tgt_in = _batch()
    with torch.no_grad():
        full = model(src, src_len, tgt_in)                                       # (B, T, V)
        state, steps = model.start(src, src_len), []
        for t in range(tgt_in.shape[1]):
            logits, state = model.decoder(tgt_in[:, t:t + 1], state)
            steps.append(logits)
        two, state2 = model.decoder(tgt_in[:, :2], model.start(src, src_len))   # several tokens, then one
        three, _ = model.decoder(tgt_in[:, 2:3], state2)
    assert full.shape == (3, 6, 25) and not torch.isnan(full).any()
    assert (torch.cat(steps, 1) - full).abs().max() < 1e-5
    assert (torch.cat([two, three], 1) - full[:, :3]).abs().max() < 1e-5
    assert torch.equal(state["prefix"], tgt_in)
    assert [tuple(w.shape) for w in model.decoder.cross_attention] == [(3, 4, 1, 7)] * 2   # the last call: one step
    model(src, src_len, tgt_in)
    weights = model.decoder.cross_attention[-1]                                   # (B, h, T, S)
    assert weights.shape == (3, 4, 6, 7) and (weights[1, :, :, 4:] == 0).all()    # never on <pad>
    model.train()
    model(src, src_len, tgt_in)                                                   # training: no weights formed
    assert model.decoder.cross_attention == []


def test_padding_does_not_change_the_output():
    model = transformer_seq2seq(20, 25, d_model=16, nhead=2, num_layers=1).eval()
    src, src_len, tgt_in = _batch()
    with torch.no_grad():
        short = model(src[1:2, :4], src_len[1:2], tgt_in[1:2])
        padded = model(src[1:2], src_len[1:2], tgt_in[1:2])                     # three <pad> at the end
    assert (short - padded).abs().max() < 1e-5


def test_reorder_state_follows_beam_rows():
    model = transformer_seq2seq(20, 25, d_model=16, nhead=2, num_layers=2).eval()
    src, src_len, tgt_in = _batch()
    index = torch.tensor([2, 2, 0])
    with torch.no_grad():
        state = model.start(src, src_len)
        _, state = model.decoder(tgt_in[:, :3], state)
        moved = model.decoder.reorder_state(state, index)
        a, _ = model.decoder(tgt_in[index, 3:4], moved)
        b, _ = model.decoder(tgt_in[index, 3:4], model.decoder(tgt_in[index, :3], model.start(src[index],
                                                                                      src_len[index]))[1])
    assert (a - b).abs().max() < 1e-5


def test_greedy_and_beam_search_run_and_agree_on_width_one():
    torch.manual_seed(1)
    model = transformer_seq2seq(20, 25, d_model=16, nhead=2, num_layers=1)
    src, src_len, _ = _batch()
    greedy = greedy_decode(model, src, src_len, max_len=5)
    beams = beam_search(model, src, src_len, max_len=5, beam_width=1)
    assert [b[0][0] for b in beams] == greedy
    assert all(len(b) >= 1 for b in beam_search(model, src, src_len, max_len=5, beam_width=3))


def test_training_with_fit_learns_to_copy():
    torch.manual_seed(0)
    pairs = [([c for c in w], [c for c in w]) for w in ("abc", "bca", "cab", "acb", "bac", "cba", "aab", "bba")]
    vocab = Vocab.build([s for s, _ in pairs])
    model = transformer_seq2seq(len(vocab), len(vocab), d_model=32, nhead=4, num_layers=1)
    loader = pair_loader(pairs, vocab, vocab, batch_size=8, shuffle=True)
    history = fit(model, loader, sequence_cross_entropy, torch.optim.Adam(model.parameters(), lr=3e-3), epochs=80,
                  progress=False)
    assert history["train_loss"][-1] < 0.1
    assert translate(model, [s for s, _ in pairs], vocab, vocab, max_len=5) == [t for _, t in pairs]


def test_tied_embeddings_share_one_matrix_and_untied_sizes_raise():
    model = transformer_seq2seq(30, 30, d_model=16, nhead=2, num_layers=1, tie_embeddings=True)
    shared = model.encoder.embed.tokens.weight
    assert model.decoder.embed.tokens.weight is shared and model.decoder.output.weight is shared
    with pytest.raises(ValueError, match="one vocabulary"):
        transformer_seq2seq(30, 31, d_model=16, nhead=2, num_layers=1, tie_embeddings=True)


def test_embeddings_are_scaled_and_positions_optional():
    model = transformer_seq2seq(30, 30, d_model=64, nhead=4, num_layers=1)
    ids = torch.randint(4, 30, (4, 5))
    scaled = model.encoder.embed.tokens(ids) * 8.0                                # √64
    assert torch.allclose(model.encoder.embed(ids) - sinusoidal_positional_encoding(5, 64), scaled, atol=1e-5)
    plain = transformer_seq2seq(30, 30, d_model=64, nhead=4, num_layers=1, positional=False, scale_embedding=False)
    assert torch.equal(plain.encoder.embed(ids), plain.encoder.embed.tokens(ids))
    assert model.encoder.embed.tokens.weight[PAD_ID].abs().sum() == 0


def test_interfaces_and_errors():
    model = transformer_seq2seq(20, 25, d_model=16, nhead=2, num_layers=1)
    assert isinstance(model, EncoderDecoder)
    assert isinstance(model.encoder, TransformerEncoder) and isinstance(model.decoder, TransformerDecoder)
    src, src_len, tgt_in = _batch()
    with pytest.raises(ValueError, match="token ids"):
        model.encoder(src.float(), src_len)
    with pytest.raises(ValueError, match="token ids"):
        model.decoder(tgt_in.float(), model.start(src, src_len))
    other = transformer_seq2seq(20, 25, d_model=32, nhead=2, num_layers=1)
    with pytest.raises(ValueError, match="d_model"):
        other.decoder.init_state(model.encoder(src, src_len), src_len)
    with pytest.raises(ValueError, match="num_layers"):
        transformer_seq2seq(20, 25, num_layers=0)
    with pytest.raises(ValueError, match="max_len"):
        transformer_seq2seq(20, 25, d_model=16, nhead=2, num_layers=1, max_len=4)(src, src_len, tgt_in)
