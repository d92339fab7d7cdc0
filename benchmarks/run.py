"""Run the course notebooks headless and tabulate their wall time and metrics.

Usage (from the repository root):

    python benchmarks/run.py                                  # every notebook, seed 0
    python benchmarks/run.py --notebooks 01 02 --seeds 0 1 2  # some notebooks, several seeds
    python benchmarks/run.py --output benchmarks/RESULTS.md --timeout 600

Each (notebook, seed) runs on a copy in a temporary folder (the repository's notebooks are never
modified), on a fresh kernel of the Python running this script, with SEQ2SEQ_SEED=<seed> in the
kernel's environment. The wall time covers the whole notebook, kernel start included. Metrics are
the outputs of `seq2seq_lib.report_metrics(...)` (mimetype application/vnd.seq2seq-lib.metrics+json),
merged in order. The Markdown table goes to --output and to stdout; with several seeds there is
also a summary row per notebook (min / mean / max of each metric, mean time). A failed notebook is
reported in the table and makes the exit status 1.
"""

from __future__ import annotations

import argparse
import datetime
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


def markdown_table(results: list[dict], several_seeds: bool) -> str:
    names = list(dict.fromkeys(k for r in results for k in r["metrics"]))
    lines = ["| Cuaderno | Semilla | Tiempo (s) | Estado | " + " | ".join(names) + " |",
             "|" + "---|" * (4 + len(names))]
    for r in results:
        status = "ok" if r["error"] is None else f"**FALLO** {r['error']}".replace("|", "\\|")
        cells = [fmt(r["metrics"].get(n, "—")) for n in names]
        lines.append(f"| {r['notebook']} | {r['seed']} | {r['seconds']:.1f} | {status} | "
                     + " | ".join(cells) + " |")
    if several_seeds:
        for notebook in dict.fromkeys(r["notebook"] for r in results):
            ok = [r for r in results if r["notebook"] == notebook and r["error"] is None]
            if not ok:
                continue
            cells = []
            for n in names:
                values = [r["metrics"][n] for r in ok if isinstance(r["metrics"].get(n), (int, float))]
                cells.append(" / ".join(fmt(v) for v in (min(values), statistics.fmean(values),
                                                          max(values))) if values else "—")
            seconds = statistics.fmean(r["seconds"] for r in ok)
            lines.append(f"| **{notebook}** | mín / media / máx | {seconds:.1f} (media) | "
                         f"{len(ok)} ok | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def header(command: str) -> str:
    try:
        torch_version = metadata.version("torch")
    except metadata.PackageNotFoundError:
        torch_version = "no instalado"
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"# Resultados del benchmark\n\n"
            f"- Fecha: {now}\n"
            f"- Máquina: {platform.platform()}, {os.cpu_count()} CPU, Python {platform.python_version()}, "
            f"torch {torch_version}\n"
            f"- Orden: `{command}`\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", nargs="+", metavar="NN", help="e.g. 01 02 (default: all)")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0], help="default: 0")
    parser.add_argument("--output", type=Path, default=REPO / "benchmarks" / "RESULTS.md")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (default: 600)")
    args = parser.parse_args(argv)

    notebooks = find_notebooks(args.notebooks)
    if not notebooks:
        parser.error(f"no notebooks in {NOTEBOOK_DIR}")
    results = []
    for path in notebooks:
        for seed in args.seeds:
            print(f"running {path.name} with SEQ2SEQ_SEED={seed} ...", file=sys.stderr, flush=True)
            results.append(run_notebook(path, seed, args.timeout))
            print(f"  {results[-1]['seconds']:.1f} s, {results[-1]['error'] or 'ok'}",
                  file=sys.stderr, flush=True)

    command = shlex.join(["python", "benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])])
    report = header(command) + "\n" + markdown_table(results, len(args.seeds) > 1) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(report)
    return 1 if any(r["error"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
