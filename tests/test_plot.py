import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from seq2seq_lib import draw_unrolled_rnn, plot_history, set_style


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_set_style_sets_course_defaults():
    set_style()
    assert plt.rcParams["axes.spines.top"] is False and plt.rcParams["axes.titleweight"] == "bold"


def test_plot_history_one_panel_per_metric_loss_first_with_log_scale():
    history = {"train_loss": [10.0, 1.0, 0.1], "val_loss": [11.0, 2.0, 0.3], "train_acc": [0.1, 0.5, 0.9],
               "val_acc": [0.1, 0.4, 0.8]}
    fig = plot_history(history, title="prueba")
    loss_ax, acc_ax = fig.axes
    assert loss_ax.get_yscale() == "log" and acc_ax.get_yscale() == "linear"
    assert loss_ax.get_xlabel() == "época" and "pérdida" in loss_ax.get_ylabel()
    assert [t.get_text() for t in loss_ax.get_legend().get_texts()] == ["entrenamiento", "validación"]
    assert len(plot_history(history, ["acc"], logy=False).axes) == 1


def test_plot_history_errors():
    with pytest.raises(ValueError, match="non-empty"):
        plot_history({})
    with pytest.raises(ValueError, match="not in history"):
        plot_history({"train_loss": [1.0]}, ["acc"])


def test_draw_unrolled_rnn_draws_outputs_as_asked():
    many = draw_unrolled_rnn(3, "all")
    one = draw_unrolled_rnn(3, "last")
    texts = lambda ax: [t.get_text() for t in ax.texts]
    assert sum("$y_" in t for t in texts(many)) == 3 and sum("$y_" in t for t in texts(one)) == 1
    assert "$h_3$" in texts(many)


@pytest.mark.parametrize("kwargs", [{"steps": 0}, {"steps": 9}, {"steps": 2.5}, {"outputs": "first"}])
def test_draw_unrolled_rnn_errors(kwargs):
    with pytest.raises(ValueError):
        draw_unrolled_rnn(**kwargs)
