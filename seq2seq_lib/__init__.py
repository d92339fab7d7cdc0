"""seq2seq_lib: the shared package of the course «Modelos de secuencias en PyTorch».

Everything public is re-exported here; importing it has no side effects.
"""

from .core import get_device, physical_cores, set_seed, set_threads
from .data import (first_token_recall, is_grammatical, later_marker_tagging, lm_pairs, pad_collate,
                   spanish_sentences, train_val_split)
from .exercises import ejercicios
from .forecast import (mae, mae_by_horizon, naive_forecast, plot_error_by_horizon, plot_forecast,
                       seasonal_naive_forecast)
from .gradients import hidden_gradient_norms
from .metrics import accuracy, sequence_cross_entropy
from .plot import draw_unrolled_rnn, plot_history, set_style
from .report import METRICS_MIMETYPE, report_metrics
from .rnn import join_directions, last_real_step, length_mask, run_packed
from .sampling import generate, sample_from_logits
from .series import (DemandSeries, StandardScaler, WindowDataset, demand_series, make_windows, ramp_series,
                     time_split)
from .text import (EOS, EOS_ID, PAD, PAD_ID, SOS, SOS_ID, SPECIALS, UNK, UNK_ID, Vocab, pad_batch,
                   tokenize_chars, tokenize_words)
from .train import default_step, evaluate, fit
from .anomaly import (ANOMALY_KINDS, KIND_NAMES_ES, normal_windows, inject_anomaly, AnomalySet, anomaly_set,
                      anomaly_splits, roc_curve, roc_auc, precision_recall, best_threshold,
                      plot_roc, plot_score_histograms)
from .attention import (SCORES, masked_softmax, AdditiveScore, DotScore, GeneralScore, Attention, AttentionDecoder,
                        attention_map, plot_attention)
from .autoencoder import (ONSETS, VOWELS, CODAS, LETTERS, pseudo_word, pseudo_lexicon, letter_vocab, corrupt_word,
                          WordDataset, word_loader, RecurrentAutoencoder,
                          SeriesAutoencoder, reconstruct)
from .dates import (FIRST_DATE, LAST_DATE, DATE_FORMATS, MONTHS, MONTHS_ABBR, WEEKDAYS, WEEKDAYS_ABBR, format_date,
                    date_pairs, date_split)
from .seq2seq import (Encoder, Decoder, EncoderDecoder, LSTMEncoder, LSTMDecoder, PairDataset, seq2seq_collate,
                      pair_loader, greedy_decode, beam_search, translate, exact_match,
                      token_accuracy)
from .tasks import (DIGIT_TASKS, digit_target, digit_pairs, digit_split, shifted_windows)
from .transformer import (scaled_dot_product_attention, MultiHeadAttention, sinusoidal_positional_encoding,
                          PositionalEncoding, causal_mask, padding_mask, TransformerEncoder,
                          TransformerDecoder, transformer_seq2seq)
from .translation import (NOUNS, ADJECTIVES, VERBS, PRONOUNS, PREPOSITIONS, reference_translation, translation_pairs,
                          translation_split)

__version__ = "0.1.0"

__all__ = [
    "set_seed", "get_device", "set_threads", "physical_cores",
    "spanish_sentences", "is_grammatical", "train_val_split", "lm_pairs", "pad_collate", "first_token_recall",
    "later_marker_tagging", "length_mask", "last_real_step", "run_packed", "join_directions",
    "hidden_gradient_norms", "accuracy", "sequence_cross_entropy",
    "set_style", "plot_history", "draw_unrolled_rnn", "METRICS_MIMETYPE", "report_metrics",
    "sample_from_logits", "generate",
    "PAD", "SOS", "EOS", "UNK", "PAD_ID", "SOS_ID", "EOS_ID", "UNK_ID", "SPECIALS",
    "Vocab", "tokenize_words", "tokenize_chars", "pad_batch",
    "default_step", "fit", "evaluate", "ejercicios",
    "ramp_series", "DemandSeries", "demand_series", "time_split", "make_windows", "WindowDataset",
    "StandardScaler", "mae", "mae_by_horizon", "naive_forecast", "seasonal_naive_forecast", "plot_forecast",
    "plot_error_by_horizon",
    "ANOMALY_KINDS", "KIND_NAMES_ES", "normal_windows", "inject_anomaly", "AnomalySet", "anomaly_set",
    "anomaly_splits", "roc_curve", "roc_auc", "precision_recall", "best_threshold", "plot_roc",
    "plot_score_histograms", "SCORES", "masked_softmax", "AdditiveScore", "DotScore", "GeneralScore",
    "Attention", "AttentionDecoder", "attention_map", "plot_attention", "ONSETS", "VOWELS", "CODAS",
    "LETTERS", "pseudo_word", "pseudo_lexicon", "letter_vocab", "corrupt_word", "WordDataset",
    "word_loader", "RecurrentAutoencoder", "SeriesAutoencoder", "reconstruct", "FIRST_DATE", "LAST_DATE",
    "DATE_FORMATS", "MONTHS", "MONTHS_ABBR", "WEEKDAYS", "WEEKDAYS_ABBR", "format_date", "date_pairs",
    "date_split", "Encoder", "Decoder", "EncoderDecoder", "LSTMEncoder", "LSTMDecoder", "PairDataset",
    "seq2seq_collate", "pair_loader", "greedy_decode", "beam_search", "translate", "exact_match",
    "token_accuracy", "DIGIT_TASKS", "digit_target", "digit_pairs", "digit_split", "shifted_windows",
    "scaled_dot_product_attention", "MultiHeadAttention", "sinusoidal_positional_encoding",
    "PositionalEncoding", "causal_mask", "padding_mask", "TransformerEncoder", "TransformerDecoder",
    "transformer_seq2seq", "NOUNS", "ADJECTIVES", "VERBS", "PRONOUNS", "PREPOSITIONS",
    "reference_translation", "translation_pairs", "translation_split",
]
