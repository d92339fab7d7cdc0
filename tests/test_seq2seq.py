"""Tests of the encoder–decoder interfaces, the LSTM encoder/decoder, pair batches, decoding and metrics."""

import pytest
import torch

from brute_force import brute_force_scores
from seq2seq_lib import EOS_ID, PAD_ID, SOS_ID, Vocab, fit, sequence_cross_entropy, set_seed
from seq2seq_lib.seq2seq import (Decoder, Encoder, EncoderDecoder, LSTMDecoder, LSTMEncoder, PairDataset,
                                 beam_search, exact_match, greedy_decode, pair_loader, seq2seq_collate,
                                 token_accuracy, translate)

PAIRS = [(["1", "2", "3"], ["3", "2", "1"]), (["4", "5"], ["5", "4"]), (["6"], ["6"])]


def tiny_model(V_src=14, V_tgt=14, hidden=16, layers=1, seed=0, tf=1.0):
    torch.manual_seed(seed)
    return EncoderDecoder(LSTMEncoder(V_src, 8, hidden, layers), LSTMDecoder(V_tgt, 8, hidden, layers), tf)


def vocabs():
    v = Vocab(str(d) for d in range(10))
    return v, v


# ------------------------------------------------------------------------------------------- data
def test_collate_builds_sos_eos_and_padding():
    src_vocab, tgt_vocab = vocabs()
    ds = PairDataset(PAIRS, src_vocab, tgt_vocab)
    src, src_len, tgt_in, tgt_out = seq2seq_collate([ds[0], ds[1], ds[2]])
    assert src.shape == (3, 3) and src_len.tolist() == [3, 2, 1]
    assert tgt_in.shape == tgt_out.shape == (3, 4)
    assert (tgt_in[:, 0] == SOS_ID).all()
    assert tgt_out[0].tolist() == tgt_vocab.encode(["3", "2", "1"]) + [EOS_ID]
    assert tgt_in[0, 1:].tolist() == tgt_out[0, :-1].tolist()           # shifted by one
    assert tgt_out[2].tolist() == tgt_vocab.encode(["6"]) + [EOS_ID, PAD_ID, PAD_ID]
    assert src[2, 1:].tolist() == [PAD_ID, PAD_ID]


def test_pair_dataset_rejects_bad_pairs_and_vocabs():
    v, _ = vocabs()
    with pytest.raises(ValueError, match="pair 1"):
        PairDataset([(["1"], ["1"]), (["1"], [])], v, v)
    with pytest.raises(TypeError, match="Vocab"):
        PairDataset(PAIRS, {"1": 4}, v)
    with pytest.raises(ValueError, match="empty batch"):
        seq2seq_collate([])


def test_pair_loader_shuffles_reproducibly():
    v, _ = vocabs()
    pairs = [([str(i % 10)], [str(i % 10)]) for i in range(40)]
    a = [b[0].tolist() for b in pair_loader(pairs, v, v, 8, shuffle=True, seed=3)]
    b = [b[0].tolist() for b in pair_loader(pairs, v, v, 8, shuffle=True, seed=3)]
    assert a == b
    assert a != [b[0].tolist() for b in pair_loader(pairs, v, v, 8)]


# ---------------------------------------------------------------------------------------- models
def test_interfaces_are_abstract():
    with pytest.raises(NotImplementedError, match="forward"):
        Encoder()(torch.zeros(1, 1, dtype=torch.long), torch.ones(1, dtype=torch.long))
    with pytest.raises(NotImplementedError, match="init_state"):
        Decoder().init_state(None, None)
    with pytest.raises(TypeError, match="Decoder"):
        EncoderDecoder(LSTMEncoder(5, 2, 3), torch.nn.Linear(2, 2))


def test_lstm_encoder_reads_only_real_steps():
    enc = LSTMEncoder(14, 8, 16)
    src = torch.tensor([[4, 5, 6], [7, 8, PAD_ID]])
    outputs, (h, c) = enc(src, torch.tensor([3, 2]))
    assert outputs.shape == (2, 3, 16) and h.shape == c.shape == (1, 2, 16)
    assert torch.all(outputs[1, 2] == 0)                                   # padding gives zeros
    alone, (h_alone, _) = enc(src[1:, :2], torch.tensor([2]))
    assert torch.allclose(h[:, 1], h_alone[:, 0], atol=1e-6)              # the pad changes nothing


def test_forward_shapes_and_step_by_step_equals_one_call():
    model = tiny_model().eval()
    v, _ = vocabs()
    src, src_len, tgt_in, tgt_out = seq2seq_collate(list(PairDataset(PAIRS, v, v)))
    logits = model(src, src_len, tgt_in)
    assert logits.shape == (3, 4, 14)
    state = model.start(src, src_len)
    steps = []
    for t in range(tgt_in.shape[1]):
        out, state = model.decoder(tgt_in[:, t:t + 1], state)
        steps.append(out)
    assert torch.allclose(torch.cat(steps, 1), logits, atol=1e-6)


def test_teacher_forcing_zero_feeds_own_predictions_and_coin_is_per_example():
    model = tiny_model(tf=0.0).train()
    v, _ = vocabs()
    src, src_len, tgt_in, _ = seq2seq_collate(list(PairDataset(PAIRS, v, v)))
    logits = model(src, src_len, tgt_in)
    # rebuild the free-running pass by hand
    state = model.start(src, src_len)
    inp, manual = tgt_in[:, :1], []
    for _ in range(tgt_in.shape[1]):
        out, state = model.decoder(inp, state)
        manual.append(out)
        inp = out.argmax(-1)
    assert torch.allclose(torch.cat(manual, 1), logits, atol=1e-6)
    with pytest.raises(ValueError, match="probability"):
        model.teacher_forcing = 1.5
    # ratio 0.5: on a large batch, some rows read the truth and others their prediction at the same step
    model.teacher_forcing = 0.5
    seen = []
    original = model.decoder.forward

    def spy(X, state):
        seen.append(X.clone())
        return original(X, state)

    model.decoder.forward = spy
    big = seq2seq_collate([PairDataset(PAIRS, v, v)[0]] * 64)
    torch.manual_seed(0)
    model(big[0], big[1], big[2])
    second = seen[1].squeeze(1)                      # the 64 identical rows' inputs at step 2
    truth = int(big[2][0, 1])
    assert second.eq(truth).any() and not second.eq(truth).all()   # one coin per example, not per batch


def test_lstm_decoder_checks_state_sizes():
    enc, dec = LSTMEncoder(14, 8, 16), LSTMDecoder(14, 8, 32)
    model = EncoderDecoder(enc, dec)
    with pytest.raises(ValueError, match="same hidden"):
        model(torch.tensor([[4, 5]]), torch.tensor([2]), torch.tensor([[SOS_ID, 4]]))


def test_fit_learns_to_copy_short_sequences():
    set_seed(0)
    v, _ = vocabs()
    rng = torch.Generator().manual_seed(0)
    pairs = []
    for _ in range(600):
        n = int(torch.randint(1, 4, (1,), generator=rng))
        s = [str(int(d)) for d in torch.randint(0, 10, (n,), generator=rng)]
        pairs.append((s, s))
    model = tiny_model(hidden=48)
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    fit(model, pair_loader(pairs, v, v, 32, shuffle=True), sequence_cross_entropy, opt, epochs=12, progress=False)
    test = [["3", "1"], ["9", "9", "2"], ["5"]]
    assert translate(model, test, v, v, max_len=6) == test


# -------------------------------------------------------------------------------------- decoding
@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_beam_search_with_full_width_equals_brute_force(alpha):
    V, max_len = 6, 3                                  # specials 0–3, plus tokens 4 and 5
    allowed = [EOS_ID, 3, 4, 5]                        # never <pad> nor <sos>
    model = tiny_model(V_src=V, V_tgt=V, hidden=8, seed=1)
    src, src_len = torch.tensor([[4, 5, 4]]), torch.tensor([3])
    exhaustive = brute_force_scores(model, src, src_len, max_len, alpha, [a for a in allowed if a != EOS_ID])
    beams = beam_search(model, src, src_len, max_len, beam_width=len(allowed) ** max_len, length_penalty=alpha)[0]
    assert len(beams) == len(exhaustive)
    assert [h[0] for h in beams] == [h[0] for h in exhaustive]
    assert all(abs(a[1] - b[1]) < 1e-5 for a, b in zip(beams, exhaustive))


def test_beam_width_one_is_greedy_and_batches_agree():
    model = tiny_model(seed=2)
    src = torch.tensor([[4, 5, 6], [7, 8, PAD_ID], [9, PAD_ID, PAD_ID]])
    src_len = torch.tensor([3, 2, 1])
    greedy = greedy_decode(model, src, src_len, max_len=7)
    beams = beam_search(model, src, src_len, max_len=7, beam_width=1, length_penalty=0.0)
    assert [b[0][0] for b in beams] == greedy
    alone = greedy_decode(model, src[1:2, :2], src_len[1:2], max_len=7)
    assert alone[0] == greedy[1]                          # padding does not change a decoded row
    assert all(PAD_ID not in row and SOS_ID not in row and EOS_ID not in row for row in greedy)
    assert model.training                                 # decoding restores the mode


def test_decoding_validates_arguments():
    model = tiny_model()
    src, src_len = torch.tensor([[4, 5]]), torch.tensor([2])
    with pytest.raises(TypeError, match="EncoderDecoder"):
        greedy_decode(torch.nn.Linear(2, 2), src, src_len, 3)
    with pytest.raises(ValueError, match="max_len"):
        greedy_decode(model, src, src_len, 0)
    with pytest.raises(ValueError, match="src_len"):
        beam_search(model, src, torch.tensor([2, 2]), 3)
    with pytest.raises(ValueError, match="length_penalty"):
        beam_search(model, src, src_len, 3, length_penalty=-1)
    with pytest.raises(ValueError, match="token ids"):
        greedy_decode(model, src.float(), src_len, 3)
    with pytest.raises(ValueError, match="sources"):
        translate(model, "123", *vocabs(), max_len=3)


# --------------------------------------------------------------------------------------- metrics
def test_exact_match_and_token_accuracy():
    refs = [["a", "b", "c"], ["d"]]
    assert exact_match([["a", "b", "c"], ["d"]], refs) == 1.0
    assert exact_match([["a", "b"], ["d"]], refs) == 0.5
    assert token_accuracy([["a", "b"], ["d"]], refs) == pytest.approx(3 / 4)
    assert token_accuracy([["a", "x", "c", "z"], []], refs) == pytest.approx(2 / 4)
    with pytest.raises(ValueError, match="references"):
        exact_match([["a"]], refs)
    with pytest.raises(ValueError, match="nothing"):
        token_accuracy([], [])


def test_metrics_accept_strings_as_letter_sequences():
    assert exact_match(["casa", "sol"], ["casa", "sal"]) == 0.5
    assert token_accuracy(["casa", "sol"], ["casa", "sal"]) == pytest.approx(6 / 7)
    assert token_accuracy(["cas"], ["casa"]) == 0.75          # a missing token counts as wrong
    assert token_accuracy(["acasa"], ["casa"]) == 0.0         # a shift makes every later position wrong
    with pytest.raises(ValueError):
        exact_match(["a"], ["a", "b"])
    with pytest.raises(ValueError):
        token_accuracy([], [])
    with pytest.raises(ValueError):
        token_accuracy([""], [""])
