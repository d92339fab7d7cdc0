import pytest
import torch

from seq2seq_lib import METRICS_MIMETYPE, report_metrics


def test_prints_outside_a_kernel(capsys):
    report_metrics(val_acc=0.875, seconds=torch.tensor(2.5))
    assert capsys.readouterr().out == "📊 val_acc = 0.875\n📊 seconds = 2.5\n"


def test_displays_json_in_a_kernel(monkeypatch):
    shown = []
    import IPython
    import IPython.display

    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda data, raw: shown.append((data, raw)))
    report_metrics(val_acc=1, loss=0.25)
    (data, raw), = shown
    assert raw and data[METRICS_MIMETYPE] == {"val_acc": 1.0, "loss": 0.25}
    assert "val_acc = 1" in data["text/plain"]


def test_errors():
    with pytest.raises(ValueError, match="at least one"):
        report_metrics()
    with pytest.raises(TypeError, match="real number"):
        report_metrics(acc="0.9")
    with pytest.raises(TypeError, match="real number"):
        report_metrics(ok=True)
