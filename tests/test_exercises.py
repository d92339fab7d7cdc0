"""The exercise checker's own tests: every reference solution passes, plausible wrong answers fail
with the intended message, unanswered exercises stay silent, and notebooks only use exercises that exist."""

import inspect
import json
import re
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from seq2seq_lib import PAD_ID, ejercicios
from seq2seq_lib.exercises import Exercise, ExerciseSet, RespuestaIncorrecta
from seq2seq_lib.exercises_01 import CharLSTM, CharRNNDropout

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
def _sets():
    found = []
    for nb in NOTEBOOKS:
        try:
            found.append(ejercicios(nb.name[:2]))
        except ValueError:
            pass
    return found


EXERCISES = [pytest.param(e, id=f"{s.notebook}-{e.key}") for s in _sets() for e in s]


# --- generic behaviour ---------------------------------------------------------------------------
@pytest.mark.parametrize("exercise", EXERCISES)
def test_reference_solution_passes(exercise, capsys):
    exercise.comprobar(exercise.solution)
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", EXERCISES)
@pytest.mark.parametrize("unanswered", [None, ..., "stub"])
def test_unanswered_is_silent(exercise, unanswered, capsys):
    if unanswered == "stub":  # the shipped `# Tu respuesta` stub raises NotImplementedError
        def stub(*args, **kwargs):
            raise NotImplementedError("escribe aquí tu solución")

        is_class = isinstance(exercise.solution, type)
        unanswered = type("Stub", (nn.Module,), {"__init__": stub}) if is_class else stub
    exercise.comprobar(unanswered)
    assert "sin responder" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", EXERCISES)
def test_hints_cycle_in_order_and_solution_prints_source(exercise, capsys):
    for _ in range(len(exercise.hints) + 1):
        exercise.pista()
    out = capsys.readouterr().out
    assert f"pista 1/{len(exercise.hints)}" in out and out.count(f"pista {len(exercise.hints)}/") == 2
    exercise.solucion()
    assert inspect.getsource(exercise.solution) in capsys.readouterr().out


def test_crashing_answer_is_reported_as_wrong():
    ej = ejercicios("01")
    with pytest.raises(RespuestaIncorrecta, match="tu código lanzó ZeroDivisionError"):
        ej.q1.comprobar(lambda I, H, num_layers=1, bidirectional=False: 1 / 0)


def test_loader_and_set_errors():
    with pytest.raises(ValueError, match="two-digit"):
        ejercicios(1)
    with pytest.raises(ValueError, match="no checkable exercises"):
        ejercicios("99")
    with pytest.raises(AttributeError, match="no tiene el ejercicio 'q9'"):
        ejercicios("01").q9
    with pytest.raises(ValueError, match="duplicate"):
        ExerciseSet("00", [Exercise("q1", "a", print, print, ["x"]), Exercise("q1", "b", print, print, ["y"])])
    with pytest.raises(ValueError, match="hint"):
        Exercise("q1", "a", print, print, [])
    assert "ej.q1" in repr(ejercicios("01")) and len(ejercicios("01")) == 5


# --- notebook 01: plausible wrong answers, each with the message it deserves ---------------------
def _fails(exercise, answer, message):
    with pytest.raises(RespuestaIncorrecta, match=message):
        exercise.comprobar(answer)


def test_01_q1_wrong_answers():
    q1 = ejercicios("01").q1
    _fails(q1, lambda I, H, num_layers=1, bidirectional=False: H * I + H * H + H, "dos vectores de sesgo")
    _fails(q1, lambda I, H, num_layers=1, bidirectional=False:
           num_layers * (2 if bidirectional else 1) * (H * I + H * H + 2 * H), "segunda capa")
    _fails(q1, lambda I, H, num_layers=1, bidirectional=False:
           sum(H * (I if l == 0 else H) + H * H + 2 * H for l in range(num_layers)), "por dirección")
    _fails(q1, lambda I, H, num_layers=1, bidirectional=False: "muchos", "debe ser un número")


def test_01_q2_wrong_answers():
    q2 = ejercicios("01").q2

    def precision(logits, objetivo, clase):
        pred = (logits.argmax(-1) == clase) & (objetivo != PAD_ID)
        return (((objetivo == clase) & pred).sum() / pred.sum()).item()

    def counts_padding(logits, objetivo, clase):
        de_la_clase = objetivo == clase
        return ((de_la_clase & (logits.argmax(-1) == clase)).sum() / de_la_clase.numel()).item()

    _fails(q2, precision, "has calculado la precisión")
    _fails(q2, counts_padding, "relleno")


def test_01_q3_wrong_answers():
    q3 = ejercicios("01").q3
    _fails(q3, lambda logits, tau: torch.exp(logits / tau) / torch.exp(logits / tau).sum(-1, keepdim=True), "desborda")
    _fails(q3, lambda logits, tau: torch.exp(logits / tau - (logits / tau).max(-1, keepdim=True).values), "sumar 1")
    _fails(q3, lambda logits, tau: F.softmax(logits * tau, dim=-1), "dividir")
    _fails(q3, lambda logits, tau: F.softmax(logits / tau, dim=0), "sumar 1")
    _fails(q3, lambda logits, tau: F.softmax(logits, dim=-1), "no coincide")
    _fails(q3, lambda logits, tau: F.softmax(logits / tau, dim=-1)[..., 0], "misma forma")


def test_01_q4_wrong_answers():
    q4 = ejercicios("01").q4

    class NoDropout(CharRNNDropout):
        def forward(self, ids):
            return self.salida(self.rnn(self.embedding(ids))[0])

    class AlwaysDropout(CharRNNDropout):
        def forward(self, ids):
            output, _ = self.rnn(F.dropout(self.embedding(ids), 0.5, training=True))
            return self.salida(output)

    class LastStepOnly(CharRNNDropout):
        def forward(self, ids):
            return super().forward(ids)[:, -1]

    _fails(q4, NoDropout, "dos pasadas en modo entrenamiento")
    _fails(q4, AlwaysDropout, "modo evaluación")
    _fails(q4, LastStepOnly, r"\(B, T, V\)")
    _fails(q4, CharRNNDropout(10, 4, 8, 0.5), "pasa la clase")


def test_01_q5_wrong_answers():
    q5 = ejercicios("01").q5

    class StillRNN(nn.Module):
        def __init__(self, V, E, H):
            super().__init__()
            self.embedding, self.rnn, self.salida = nn.Embedding(V, E), nn.RNN(E, H, batch_first=True), nn.Linear(H, V)

        def forward(self, ids):
            return self.salida(self.rnn(self.embedding(ids))[0])

    class UsesHn(CharLSTM):
        def forward(self, ids):
            _, (h_n, _) = self.rnn(self.embedding(ids))
            return self.salida(h_n[-1])

    class ForgetsTuple(CharLSTM):
        def forward(self, ids):
            return self.salida(self.rnn(self.embedding(ids)))

    class FrozenOutput(CharLSTM):
        def forward(self, ids):
            return self.salida(self.rnn(self.embedding(ids))[0].detach() * 0)

    class TwoLayers(CharLSTM):
        def __init__(self, V, E, H):
            super().__init__(V, E, H)
            self.rnn = nn.LSTM(E, H, num_layers=2, batch_first=True)

    _fails(q5, StillRNN, "ninguna nn.LSTM")
    _fails(q5, UsesHn, "h_n en lugar de output")
    _fails(q5, ForgetsTuple, "tu código lanzó")
    _fails(q5, FrozenOutput, "no aprende")
    _fails(q5, TwoLayers, "parámetros")


# --- notebooks -----------------------------------------------------------------------------------
def _code(nb_path):
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_uses_only_existing_exercises(nb_path):
    source = "\n".join("".join(c["source"]) for c in _code(nb_path))
    for number in re.findall(r"ejercicios\(\s*[\"'](\d\d)[\"']\s*\)", source):
        assert number == nb_path.name[:2], f"{nb_path.name} carga los ejercicios de otro cuaderno ({number})"
        exercises = ejercicios(number)  # raises if the notebook has none
        for key in sorted(set(re.findall(r"\bej\.(q\d+)\b", source))):
            assert key in {e.key for e in exercises}, f"{nb_path.name} usa ej.{key}, que no existe"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_shipped_notebook_shows_no_solution(nb_path):
    cells = _code(nb_path)
    assert not any(".solucion()" in "".join(c["source"]) for c in cells), "un cuaderno publicado no llama a .solucion()"
    outputs = json.dumps([c.get("outputs", []) for c in cells], ensure_ascii=False)
    assert "solución de referencia" not in outputs
    try:
        exercises = list(ejercicios(nb_path.name[:2]))
    except ValueError:
        return
    for exercise in exercises:
        body = inspect.getsource(exercise.solution).splitlines()[1:]  # the signature may legitimately appear
        assert not any(line.strip() and len(line.strip()) > 20 and line.strip() in outputs for line in body)
    if exercises:
        answered = [c for c in cells if re.search(r"\bej\.q\d+\.comprobar\(", "".join(c["source"]))]
        assert answered, f"{nb_path.name} tiene ejercicios con comprobación pero ninguna celda los comprueba"
        for c in answered:
            text = "".join("".join(o.get("text", "")) for o in c.get("outputs", []))
            assert "sin responder" in text, "el cuaderno publicado debe dejar los ejercicios sin responder"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_solved_copy_of_each_answer_cell_passes(nb_path, capsys):
    """Each `# Tu respuesta` cell, with its stub replaced by the reference solution, prints ✅:
    the names and signatures the notebook asks for are the ones the checks call."""
    try:
        exercises = ejercicios(nb_path.name[:2])
    except ValueError:
        pytest.skip("notebook without checkable exercises")
    for cell in _code(nb_path):
        source = "".join(cell["source"])
        match = re.search(r"^ej\.(q\d+)\.comprobar\((\w+)\)\s*$", source, re.M)
        if not match:
            continue
        exercise = getattr(exercises, match.group(1))
        assert match.group(2) == exercise.solution.__name__, (
            f"la celda de ej.{match.group(1)} comprueba {match.group(2)}, pero la solución se llama "
            f"{exercise.solution.__name__}")
        namespace = dict(vars(inspect.getmodule(exercise.solution)))
        exec(source[: match.start()], namespace)                # the stub, as shipped
        exec(inspect.getsource(exercise.solution), namespace)   # replaced by the reference solution
        namespace["ej"] = exercises
        exec(match.group(0), namespace)
        assert "✅" in capsys.readouterr().out
