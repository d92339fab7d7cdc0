"""Run the course notebooks headless and tabulate their wall time and metrics.

Usage (from the repository root):

    python benchmarks/run.py                                  # every notebook, seed 0
    python benchmarks/run.py --notebooks 01 02 --seeds 0 1 2  # some notebooks, several seeds
    python benchmarks/run.py --notebooks 09 --seeds 0 1 2 --update   # re-run one, keep the others' results

Each (notebook, seed) runs on a copy in a temporary folder (the repository's notebooks are never
modified), on a fresh kernel of the Python running this script, with SEQ2SEQ_SEED=<seed> in the
kernel's environment. The wall time covers the whole notebook, kernel start included. Metrics are
the outputs of `seq2seq_lib.report_metrics(...)` (mimetype application/vnd.seq2seq-lib.metrics+json),
merged in order. The Markdown report (a summary table of times, then one table per notebook with a
row per metric, a column per seed and, with several seeds, min / mean / max) goes to --output
(default benchmarks/RESULTS.md) and to stdout; the raw results go beside it as JSON, which --update
reads to keep the notebooks that were not re-run. A failed notebook is reported in the tables and
makes the exit status 1.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import ipykernel.kernelspec
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO / "notebooks"
METRICS_MIMETYPE = "application/vnd.seq2seq-lib.metrics+json"
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")  # colours in IPython tracebacks


class CurrentPythonKernels(KernelSpecManager):
    """Every kernel name resolves to an IPython kernel of the Python running this script."""

    def get_kernel_spec(self, kernel_name):
        return self.kernel_spec_class(resource_dir=ipykernel.kernelspec.RESOURCES,
                                      **ipykernel.kernelspec.get_kernel_dict())


def find_notebooks(prefixes: list[str] | None) -> list[Path]:
    """Notebooks whose file name starts with one of `prefixes` ('01', '02', ...); all if None."""
    available = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    if not prefixes:
        return available
    chosen = []
    for prefix in prefixes:
        if not prefix.isdigit():
            raise SystemExit(f"error: --notebooks takes numbers such as 01 02, not {prefix!r}")
        matches = [p for p in available if p.name.startswith(f"{int(prefix):02d}_")]
        if not matches:
            raise SystemExit(f"error: no notebook notebooks/{int(prefix):02d}_*.ipynb")
        chosen += matches
    return chosen


def collect_metrics(nb: nbformat.NotebookNode) -> dict[str, float]:
    """Merge, in order, every metrics output the notebook displayed."""
    metrics: dict[str, float] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get(METRICS_MIMETYPE)
            if isinstance(data, dict):
                metrics.update(data)
    return metrics


def run_notebook(path: Path, seed: int, timeout: int) -> dict:
    """Execute a copy of `path` with SEQ2SEQ_SEED=seed; return seconds, metrics and error (or None)."""
    error = None
    with tempfile.TemporaryDirectory(prefix="seq2seq-bench-") as workdir:
        nb = nbformat.read(shutil.copy(path, workdir), as_version=4)
        km = KernelManager(kernel_name="python3", kernel_spec_manager=CurrentPythonKernels())
        client = NotebookClient(nb, km=km, timeout=timeout, resources={"metadata": {"path": workdir}})
        start = time.perf_counter()
        try:
            client.execute(env={**os.environ, "SEQ2SEQ_SEED": str(seed)})
        except Exception as exc:  # a cell error, a timeout, a dead kernel: report it, go on
            last_line = (ANSI_ESCAPE.sub("", str(exc)).strip().splitlines() or [""])[-1]
            error = f"{type(exc).__name__}: {last_line[:120]}"
        seconds = time.perf_counter() - start
    return {"notebook": path.stem, "seed": seed, "seconds": seconds,
            "metrics": collect_metrics(nb), "error": error}


def fmt(value) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return str(value) if isinstance(value, int) else f"{value:.4g}"


def _status(r: dict) -> str:
    return "ok" if r["error"] is None else f"**FALLO** {r['error']}".replace("|", "\\|")


def summary_table(results: list[dict]) -> str:
    """One row per notebook: seeds, mean / min / max wall time, status."""
    lines = ["| Cuaderno | Semillas | Tiempo medio (s) | Mín – máx (s) | Estado |", "|---|---|---|---|---|"]
    for notebook in dict.fromkeys(r["notebook"] for r in results):
        runs = [r for r in results if r["notebook"] == notebook]
        seconds = [r["seconds"] for r in runs]
        failed = [r for r in runs if r["error"] is not None]
        status = f"{len(runs) - len(failed)} ok" + (f", {len(failed)} con fallo" if failed else "")
        lines.append(f"| {notebook} | {' '.join(str(r['seed']) for r in runs)} | {statistics.fmean(seconds):.1f} | "
                     f"{min(seconds):.1f} – {max(seconds):.1f} | {status} |")
    return "\n".join(lines)


def notebook_table(runs: list[dict]) -> str:
    """Metrics of one notebook: one row per metric, one column per seed (+ min / mean / max with several seeds)."""
    names = list(dict.fromkeys(k for r in runs for k in r["metrics"]))
    several = len(runs) > 1
    head = ["Métrica"] + [f"semilla {r['seed']}" for r in runs] + (["mín / media / máx"] if several else [])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    rows = [("tiempo (s)", [r["seconds"] for r in runs])] + [(n, [r["metrics"].get(n) for r in runs]) for n in names]
    for name, values in rows:
        cells = [fmt(v) if v is not None else "—" for v in values]
        if several:
            numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
            cells.append(" / ".join(fmt(v) for v in (min(numbers), statistics.fmean(numbers), max(numbers)))
                         if numbers else "—")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if any(r["error"] for r in runs):
        lines.append("")
        lines += [f"- semilla {r['seed']}: {_status(r)}" for r in runs if r["error"]]
    return "\n".join(lines)


def report(results: list[dict]) -> str:
    """The whole Markdown report: header, summary table, then one section per notebook."""
    machine = sorted({r["machine"] for r in results})
    dates = sorted(r["date"] for r in results)
    commands = list(dict.fromkeys(r["command"] for r in results))
    parts = ["# Resultados del benchmark\n",
             f"- Fechas: {dates[0]} – {dates[-1]}" if dates[0] != dates[-1] else f"- Fecha: {dates[0]}",
             "- Máquina: " + "; ".join(machine),
             "- Órdenes: " + "; ".join(f"`{c}`" for c in commands),
             "", "Tiempo de ejecución de cada cuaderno, de arriba abajo en un núcleo nuevo (arranque incluido), y "
             "las métricas que informa con `report_metrics(...)`.", "", summary_table(results)]
    for notebook in dict.fromkeys(r["notebook"] for r in results):
        parts += ["", f"## {notebook}", "", notebook_table([r for r in results if r["notebook"] == notebook])]
    return "\n".join(parts) + "\n"


def machine_description() -> str:
    try:
        torch_version = metadata.version("torch")
    except metadata.PackageNotFoundError:
        torch_version = "no instalado"
    return (f"{platform.platform()}, {os.cpu_count()} CPU, Python {platform.python_version()}, "
            f"torch {torch_version}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", nargs="+", metavar="NN", help="e.g. 01 02 (default: all)")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0], help="default: 0")
    parser.add_argument("--output", type=Path, default=REPO / "benchmarks" / "RESULTS.md",
                        help="Markdown report; the raw results go beside it, with the suffix .json")
    parser.add_argument("--update", action="store_true",
                        help="keep the saved results of the notebooks that this run does not execute")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (default: 600)")
    args = parser.parse_args(argv)

    notebooks = find_notebooks(args.notebooks)
    if not notebooks:
        parser.error(f"no notebooks in {NOTEBOOK_DIR}")
    command = shlex.join(["python", "benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])])
    machine = machine_description()
    results = []
    for path in notebooks:
        for seed in args.seeds:
            print(f"running {path.name} with SEQ2SEQ_SEED={seed} ...", file=sys.stderr, flush=True)
            now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            results.append({**run_notebook(path, seed, args.timeout), "date": now, "machine": machine,
                            "command": command})
            print(f"  {results[-1]['seconds']:.1f} s, {results[-1]['error'] or 'ok'}",
                  file=sys.stderr, flush=True)

    raw = args.output.with_suffix(".json")
    if args.update and raw.exists():
        rerun = {r["notebook"] for r in results}
        results += [r for r in json.loads(raw.read_text(encoding="utf-8")) if r["notebook"] not in rerun]
    results.sort(key=lambda r: (r["notebook"], r["seed"]))
    text = report(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    raw.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(text)
    return 1 if any(r["error"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
