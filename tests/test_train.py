import pytest
import torch
from torch import nn

from seq2seq_lib import accuracy, default_step, evaluate, fit, set_seed


def _toy_problem():
    set_seed(0)
    x = torch.randn(64, 2)
    y = (x[:, 0] + x[:, 1] > 0).long()
    batches = [(x[i : i + 16], y[i : i + 16]) for i in range(0, 64, 16)]
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
    return model, batches


def test_fit_learns_and_returns_history():
    model, batches = _toy_problem()
    history = fit(model, batches, nn.CrossEntropyLoss(), torch.optim.Adam(model.parameters(), lr=0.05),
                  epochs=30, val_data=batches[:1], metrics={"acc": accuracy}, progress=False)
    assert set(history) == {"train_loss", "train_acc", "val_loss", "val_acc"}
    assert all(len(v) == 30 for v in history.values())
    assert history["train_loss"][-1] < 0.5 * history["train_loss"][0]
    assert history["val_acc"][-1] >= 0.9


def test_fit_prints_a_summary_line_when_progress_is_on(capsys):
    model, batches = _toy_problem()
    fit(model, batches, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), epochs=2, desc="prueba")
    assert "prueba: 2 épocas" in capsys.readouterr().out


def test_callbacks_see_logs_and_can_stop_training():
    model, batches = _toy_problem()
    seen = []

    def stop_at_three(epoch, logs):
        seen.append((epoch, sorted(logs)))
        return epoch == 3

    history = fit(model, batches, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), epochs=10,
                  callbacks=[stop_at_three], progress=False)
    assert len(history["train_loss"]) == 3 and seen[0] == (1, ["train_loss"])


def test_clip_grad_norm_bounds_the_update():
    model = nn.Linear(1, 1, bias=False)
    nn.init.zeros_(model.weight)
    batch = [(torch.tensor([[1000.0]]), torch.tensor([[0.0]]))]
    fit(model, batch, lambda o, t: (o - 1000.0 * 1000.0).pow(2).mean(), torch.optim.SGD(model.parameters(), lr=1.0),
        epochs=1, clip_grad_norm=0.5, progress=False)
    assert abs(model.weight.item()) == pytest.approx(0.5, rel=1e-4)  # SGD step of a gradient clipped to norm 0.5


def test_custom_step_for_other_batch_layouts():
    model, batches = _toy_problem()
    dict_batches = [{"x": x, "y": y} for x, y in batches]
    history = fit(model, dict_batches, nn.CrossEntropyLoss(), torch.optim.Adam(model.parameters(), lr=0.05), epochs=2,
                  step=lambda m, b: (m(b["x"]), b["y"]), progress=False)
    assert len(history["train_loss"]) == 2


def test_evaluate_weights_batches_and_restores_mode():
    model = nn.Linear(1, 2)
    model.train()
    with torch.no_grad():
        model.weight.zero_()
        model.bias.copy_(torch.tensor([1.0, 0.0]))  # always predicts class 0
    data = [(torch.zeros(3, 1), torch.tensor([0, 0, 0])), (torch.zeros(1, 1), torch.tensor([1]))]
    result = evaluate(model, data, nn.CrossEntropyLoss(), {"acc": accuracy})
    assert result["acc"] == pytest.approx(3 / 4) and set(result) == {"acc", "loss"}
    assert model.training
    assert evaluate(model, data, metrics={"acc": accuracy}) == {"acc": pytest.approx(0.75)}


def test_default_step_unpacks_inputs_and_target():
    model = nn.Bilinear(2, 3, 1)
    out, target = default_step(model, (torch.zeros(4, 2), torch.zeros(4, 3), torch.ones(4)))
    assert out.shape == (4, 1) and torch.equal(target, torch.ones(4))
    with pytest.raises(TypeError, match="batch must be a tuple"):
        default_step(model, torch.zeros(3))


def test_fit_and_evaluate_errors():
    model, batches = _toy_problem()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loss = nn.CrossEntropyLoss()
    with pytest.raises(ValueError, match="epochs"):
        fit(model, batches, loss, opt, epochs=0)
    with pytest.raises(ValueError, match="clip_grad_norm"):
        fit(model, batches, loss, opt, epochs=1, clip_grad_norm=-1)
    with pytest.raises(TypeError, match="optimizer"):
        fit(model, batches, loss, "adam", epochs=1)
    with pytest.raises(TypeError, match="model must be"):
        fit(lambda x: x, batches, loss, opt, epochs=1)
    with pytest.raises(TypeError, match="loss_fn"):
        fit(model, batches, "ce", opt, epochs=1)
    with pytest.raises(TypeError, match="metrics"):
        fit(model, batches, loss, opt, epochs=1, metrics={"acc": 1})
    with pytest.raises(ValueError, match="no batches"):
        fit(model, [], loss, opt, epochs=1, progress=False)
    with pytest.raises(ValueError, match="no batches"):
        evaluate(model, [], loss)


def test_scheduler_steps_once_per_batch():
    model, batches = _toy_problem()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    plan = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.05, total_steps=3 * len(batches))
    seen = []
    fit(model, batches, nn.CrossEntropyLoss(), optimizer, epochs=3, scheduler=plan, progress=False,
        callbacks=[lambda epoch, logs: seen.append(optimizer.param_groups[0]["lr"])])
    assert plan.last_epoch == 3 * len(batches)             # one step per batch, none per epoch
    assert seen[0] > 10 * seen[-1]                         # one cycle: the rate ends far below its peak
    with pytest.raises(TypeError, match="scheduler must be"):
        fit(model, batches, nn.CrossEntropyLoss(), optimizer, epochs=1, scheduler="onecycle", progress=False)
