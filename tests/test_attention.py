"""Tests of the attention module: masked softmax, the three scores, the attention decoder, maps and heatmaps."""

import math

import matplotlib
import pytest
import torch

matplotlib.use("Agg")

from brute_force import brute_force_scores  # noqa: E402
from seq2seq_lib import EOS_ID, PAD_ID, SOS_ID, Vocab, fit, sequence_cross_entropy, set_seed, set_threads  # noqa: E402
from seq2seq_lib.attention import (SCORES, AdditiveScore, Attention, AttentionDecoder, DotScore,  # noqa: E402
                                   GeneralScore, attention_map, masked_softmax, plot_attention)
from seq2seq_lib.seq2seq import (EncoderDecoder, LSTMEncoder, beam_search, greedy_decode, pair_loader,  # noqa: E402
                                 translate)


def tiny_model(score="general", V=14, hidden=16, layers=1, seed=0):
    torch.manual_seed(seed)
    return EncoderDecoder(LSTMEncoder(V, 8, hidden, layers), AttentionDecoder(V, 8, hidden, score, layers))


# ---------------------------------------------------------------------------------- masked softmax
def test_masked_softmax_gives_exactly_zero_to_padding_and_sums_to_one():
    scores = torch.randn(4, 3, 6) * 5                                      # (B, T, S)
    lengths = torch.tensor([6, 4, 1, 2])
    mask = (torch.arange(6) < lengths.unsqueeze(1)).unsqueeze(1)           # (B, 1, S)
    w = masked_softmax(scores, mask)
    assert (w[~mask.expand_as(w)] == 0).all()                              # exactly zero, not 1e-9
    assert torch.allclose(w.sum(-1), torch.ones(4, 3))
    assert (w >= 0).all()
    # the real positions get the softmax of the real scores alone
    assert torch.allclose(w[1, :, :4], scores[1, :, :4].softmax(-1))
    # huge scores at padded positions change nothing
    poisoned = scores.masked_fill(~mask, 1e9)
    assert torch.equal(masked_softmax(poisoned, mask), w)


def test_masked_softmax_without_mask_and_with_an_empty_row():
    s = torch.randn(2, 5)
    assert torch.allclose(masked_softmax(s, None), s.softmax(-1))
    w = masked_softmax(s, torch.tensor([[True, True, False, False, False], [False] * 5]))
    assert torch.equal(w[1], torch.zeros(5)) and not torch.isnan(w).any()


def test_masked_softmax_validates_its_inputs():
    with pytest.raises(TypeError, match="floating-point"):
        masked_softmax(torch.tensor([1, 2]), None)
    with pytest.raises(TypeError, match="boolean"):
        masked_softmax(torch.randn(2, 3), torch.ones(2, 3))
    with pytest.raises(ValueError, match="broadcast"):
        masked_softmax(torch.randn(2, 3), torch.ones(2, 4, dtype=torch.bool))


# ----------------------------------------------------------------------------------------- scores
def test_hand_computed_3x2_example():
    """Three source positions (keys, one padded) and two queries, dot score, by hand."""
    keys = torch.tensor([[[1.0, 0.0], [0.0, 1.0], [5.0, 5.0]]])            # (1, S=3, 2); position 3 is padding
    queries = torch.tensor([[[math.log(3.0), 0.0], [0.0, 0.0]]])           # (1, T=2, 2)
    mask = torch.tensor([[True, True, False]])
    context, weights = Attention(2, 2, score="dot")(queries, keys, mask)
    # query 1: scores (ln 3, 0, ·) → weights (3/4, 1/4, 0) → context 3/4·k1 + 1/4·k2
    # query 2: scores (0, 0, ·) → weights (1/2, 1/2, 0) → context (1/2, 1/2)
    expected_w = torch.tensor([[[0.75, 0.25, 0.0], [0.5, 0.5, 0.0]]])
    assert torch.allclose(weights, expected_w, atol=1e-6)
    assert torch.allclose(context, torch.tensor([[[0.75, 0.25], [0.5, 0.5]]]), atol=1e-6)


def test_additive_score_equals_mlp_on_the_concatenation():
    torch.manual_seed(0)
    score = AdditiveScore(3, 4, 5)
    q, k = torch.randn(2, 6, 3), torch.randn(2, 7, 4)                       # (B, T, Hq), (B, S, Hk)
    W = torch.cat([score.W_q.weight, score.W_k.weight], dim=1)             # (A, Hq + Hk)
    pairs = torch.cat([q.unsqueeze(2).expand(-1, -1, 7, -1), k.unsqueeze(1).expand(-1, 6, -1, -1)], dim=-1)
    expected = (torch.tanh(pairs @ W.T + score.W_q.bias) @ score.v.weight.T).squeeze(-1)   # (B, T, S)
    assert torch.allclose(score(q, k), expected, atol=1e-6)


def test_dot_and_general_scores():
    torch.manual_seed(0)
    q, k = torch.randn(2, 3, 4), torch.randn(2, 5, 4)
    assert torch.allclose(DotScore()(q, k), torch.einsum("bth,bsh->bts", q, k), atol=1e-6)
    g = GeneralScore(4, 4)
    assert torch.allclose(g(q, k), torch.einsum("bth,hk,bsk->bts", q, g.W.weight, k), atol=1e-6)
    with pytest.raises(ValueError, match="same size"):
        DotScore()(q, torch.randn(2, 5, 3))


@pytest.mark.parametrize("score", SCORES)
def test_attention_shapes_one_step_and_masking(score):
    torch.manual_seed(0)
    att = Attention(6, 6, score)
    keys, mask = torch.randn(3, 5, 6), torch.tensor([[True] * 5, [True] * 2 + [False] * 3, [True] + [False] * 4])
    context, w = att(torch.randn(3, 4, 6), keys, mask)
    assert context.shape == (3, 4, 6) and w.shape == (3, 4, 5)
    assert (w[1, :, 2:] == 0).all() and torch.allclose(w[2, :, 0], torch.ones(4))
    assert torch.allclose(w.sum(-1), torch.ones(3, 4))
    c1, w1 = att(torch.randn(3, 6), keys, mask)                               # one query per row
    assert c1.shape == (3, 6) and w1.shape == (3, 5)


def test_attention_validates_arguments():
    with pytest.raises(ValueError, match="score"):
        Attention(4, 4, "cosine")
    with pytest.raises(ValueError, match="query_dim == key_dim"):
        Attention(4, 3, "dot")
    att = Attention(4, 4)
    with pytest.raises(ValueError, match="keys"):
        att(torch.randn(2, 4), torch.randn(2, 4))
    with pytest.raises(ValueError, match="queries"):
        att(torch.randn(3, 1, 4), torch.randn(2, 5, 4))
    with pytest.raises(ValueError, match="mask"):
        att(torch.randn(2, 1, 4), torch.randn(2, 5, 4), torch.ones(2, 4, dtype=torch.bool))


# ---------------------------------------------------------------------------------------- decoder
@pytest.mark.parametrize("score", SCORES)
def test_decoder_step_by_step_equals_one_call(score):
    model = tiny_model(score, layers=2).eval()
    src = torch.tensor([[4, 5, 6, 7], [8, 9, PAD_ID, PAD_ID]])
    src_len = torch.tensor([4, 2])
    tgt_in = torch.tensor([[SOS_ID, 4, 5, 6, 7], [SOS_ID, 9, 8, 4, 4]])
    with torch.no_grad():
        full = model(src, src_len, tgt_in)                                   # (B, T, V)
        full_weights = model.decoder.attention_weights                       # (B, T, S)
        state, steps, step_weights = model.start(src, src_len), [], []
        for t in range(tgt_in.shape[1]):
            logits, state = model.decoder(tgt_in[:, t:t + 1], state)          # (B, 1, V)
            steps.append(logits)
            step_weights.append(model.decoder.attention_weights)
    assert full.shape == (2, 5, 14) and full_weights.shape == (2, 5, 4)
    assert torch.allclose(torch.cat(steps, 1), full, atol=1e-5)
    assert torch.allclose(torch.cat(step_weights, 1), full_weights, atol=1e-6)
    assert (full_weights[1, :, 2:] == 0).all()                               # the padded source positions
    assert torch.allclose(full_weights.sum(-1), torch.ones(2, 5))


def test_padding_does_not_change_a_row():
    model = tiny_model("additive").eval()
    src = torch.tensor([[4, 5, 6, 7], [8, 9, PAD_ID, PAD_ID]])
    tgt_in = torch.tensor([[SOS_ID, 4, 5], [SOS_ID, 9, 8]])
    with torch.no_grad():
        batch = model(src, torch.tensor([4, 2]), tgt_in)[1]
        alone = model(src[1:, :2], torch.tensor([2]), tgt_in[1:])[0]
    assert torch.allclose(batch, alone, atol=1e-6)


def test_reorder_state_picks_and_repeats_rows():
    model = tiny_model(layers=2)
    src = torch.tensor([[4, 5, 6], [7, 8, PAD_ID], [9, PAD_ID, PAD_ID]])
    state = model.start(src, torch.tensor([3, 2, 1]))
    index = torch.tensor([2, 0, 0, 1])
    enc, mask, (h, c) = model.decoder.reorder_state(state, index)
    assert torch.equal(enc, state[0][index]) and torch.equal(mask, state[1][index])
    assert torch.equal(h, state[2][0][:, index]) and torch.equal(c, state[2][1][:, index])
    assert h.shape == (2, 4, 16)
    # the reordered state decodes exactly like the original rows
    X = torch.tensor([[5], [6], [6], [7]])
    with torch.no_grad():
        a, _ = model.decoder(X, (enc, mask, (h, c)))
        b, _ = model.decoder(X[[1, 3, 0]], state)
    assert torch.allclose(a[[1, 3, 0]], b, atol=1e-6)


def test_decoder_checks_the_encoder_sizes_and_ids():
    torch.manual_seed(0)
    model = EncoderDecoder(LSTMEncoder(10, 4, 8), AttentionDecoder(10, 4, 16))
    with pytest.raises(ValueError, match="same hidden"):
        model(torch.tensor([[4, 5]]), torch.tensor([2]), torch.tensor([[SOS_ID, 4]]))
    with pytest.raises(ValueError, match="token ids"):
        tiny_model()(torch.tensor([[4, 5]]), torch.tensor([2]), torch.tensor([[1.0, 4.0]]))
    with pytest.raises(ValueError, match="score"):
        AttentionDecoder(10, 4, 8, score="cosine")
    with pytest.raises(ValueError, match="hidden"):
        AttentionDecoder(10, 4, 0)


@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_beam_search_with_attention_equals_brute_force(alpha):
    V, max_len = 6, 3
    model = tiny_model("additive", V=V, hidden=8, seed=1).eval()
    src, src_len = torch.tensor([[4, 5, 4]]), torch.tensor([3])
    exhaustive = brute_force_scores(model, src, src_len, max_len, alpha, allowed=[3, 4, 5])
    beams = beam_search(model, src, src_len, max_len, beam_width=4 ** max_len, length_penalty=alpha)[0]
    assert [h[0] for h in beams] == [h[0] for h in exhaustive]
    assert all(abs(a[1] - b[1]) < 1e-5 for a, b in zip(beams, exhaustive))


def test_greedy_equals_beam_of_width_one_and_batches_agree():
    model = tiny_model(seed=2)
    src = torch.tensor([[4, 5, 6], [7, 8, PAD_ID], [9, PAD_ID, PAD_ID]])
    src_len = torch.tensor([3, 2, 1])
    greedy = greedy_decode(model, src, src_len, max_len=7)
    beams = beam_search(model, src, src_len, max_len=7, beam_width=1, length_penalty=0.0)
    assert [b[0][0] for b in beams] == greedy
    assert greedy_decode(model, src[1:2, :2], src_len[1:2], max_len=7)[0] == greedy[1]


def test_fit_learns_to_reverse_short_sequences_with_attention():
    set_seed(0)
    v = Vocab(str(d) for d in range(10))
    rng = torch.Generator().manual_seed(0)
    pairs = []
    for _ in range(600):
        s = [str(int(d)) for d in torch.randint(0, 10, (int(torch.randint(1, 5, (1,), generator=rng)),),
                                                generator=rng)]
        pairs.append((s, s[::-1]))
    model = EncoderDecoder(LSTMEncoder(len(v), 16, 48), AttentionDecoder(len(v), 16, 48, "general"))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    threads = torch.get_num_threads()
    set_threads(1)                       # tiny model: a second thread only competes for busy cores
    try:
        fit(model, pair_loader(pairs, v, v, 32, shuffle=True), sequence_cross_entropy, opt, epochs=10, progress=False)
    finally:
        torch.set_num_threads(threads)
    test = [["3", "1"], ["9", "9", "2"], ["5"], ["1", "2", "3", "4"]]
    assert translate(model, test, v, v, max_len=6) == [t[::-1] for t in test]
    assert translate(model, test, v, v, max_len=6, beam_width=3) == [t[::-1] for t in test]


# ------------------------------------------------------------------------------------ maps and plots
def test_attention_map_rows_are_the_decoding_steps():
    model = tiny_model()
    v = Vocab(str(d) for d in range(10))
    w = attention_map(model, ["1", "2", "3"], ["3", "2"], v, v)
    assert w.shape == (3, 3) and torch.allclose(w.sum(-1), torch.ones(3))
    assert model.training                                                    # the mode is restored
    with torch.no_grad():
        model.eval()
        model(torch.tensor([v.encode(["1", "2", "3"])]), torch.tensor([3]),
              torch.tensor([[SOS_ID] + v.encode(["3", "2"])]))
    assert torch.equal(w, model.decoder.attention_weights[0])
    with pytest.raises(TypeError, match="list of tokens"):
        attention_map(model, "123", ["1"], v, v)
    with pytest.raises(TypeError, match="attention_weights"):
        attention_map(torch.nn.Linear(2, 2), ["1"], ["1"], v, v)


def test_plot_attention_labels_the_axes_with_tokens():
    w = torch.tensor([[0.9, 0.1, 0.0], [0.2, 0.8, 0.0]])
    ax = plot_attention(w, ["a", " ", "c"], ["x", "<eos>"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "␣", "c"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x", "<eos>"]
    assert "entrada" in ax.get_xlabel() and "salida" in ax.get_ylabel()
    with pytest.raises(ValueError, match="target tokens"):
        plot_attention(w, ["a", "b", "c"], ["x"])
    with pytest.raises(ValueError, match="2-D"):
        plot_attention(torch.ones(3), ["a"], ["x"])
    matplotlib.pyplot.close("all")
