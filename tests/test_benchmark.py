"""benchmarks/run.py: the report tables (the notebook execution itself is what pytest does with nbval)."""

import importlib.util
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


@pytest.fixture(scope="module")
def run():
    spec = importlib.util.spec_from_file_location("benchmark_run", RUN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def result(notebook, seed, seconds, metrics, error=None):
    return {"notebook": notebook, "seed": seed, "seconds": seconds, "metrics": metrics, "error": error,
            "date": f"2026-11-2{seed} 10:00 UTC", "machine": "test machine", "command": "python benchmarks/run.py"}


def test_report_has_a_summary_and_one_table_per_notebook(run):
    results = [result("01_a", 0, 10.0, {"acc": 0.5}), result("01_a", 1, 12.0, {"acc": 0.7, "extra": 3}),
               result("02_b", 0, 20.0, {"auc": 0.99}, error="CellExecutionError: AssertionError | boom")]
    text = run.report(results)
    assert "| 01_a | 0 1 | 11.0 | 10.0 – 12.0 | 2 ok |" in text
    assert "| 02_b | 0 | 20.0 | 20.0 – 20.0 | 0 ok, 1 con fallo |" in text
    assert "## 01_a" in text and "## 02_b" in text
    assert "| acc | 0.5 | 0.7 | 0.5 / 0.6 / 0.7 |" in text       # a row per metric, a column per seed
    assert "| extra | — | 3 | 3 / 3 / 3 |" in text                 # a metric missing from one seed
    assert "| auc | 0.99 |" in text and "mín / media / máx" not in text.split("## 02_b")[1]
    assert "AssertionError \\| boom" in text                        # a pipe in an error cannot break the table
    assert "- Fechas: 2026-11-20 10:00 UTC – 2026-11-21 10:00 UTC" in text


def test_notebook_selection_rejects_bad_prefixes(run):
    with pytest.raises(SystemExit, match="numbers such as 01 02"):
        run.find_notebooks(["uno"])
    with pytest.raises(SystemExit, match="no notebook"):
        run.find_notebooks(["99"])
    assert [p.name[:2] for p in run.find_notebooks(["1", "02"])] == ["01", "02"]
