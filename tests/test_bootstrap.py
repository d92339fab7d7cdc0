"""Notebook 01 sets itself up in a fresh environment, the way a learner meets it in Colab.

Colab has torch, numpy, matplotlib and a Jupyter kernel but not `seq2seq_lib`; the notebook's
set-up cell must install the package (from the repository) and go on. This test rebuilds that:

1. a new virtual environment in tmp_path whose site-packages holds a `.pth` file listing the
   current environment's site-packages directories as plain path entries, so the heavy
   dependencies are reused (fast, offline) but `seq2seq_lib` is NOT importable: a plain path entry
   does not run the current environment's editable-install hook (asserted before going on);
2. notebook 01 copied to a folder outside the repository and executed there with nbclient, on a
   kernel of the NEW environment's Python, with SEQ2SEQ_LIB_SOURCE pointing at a clean copy of this
   checkout's package sources, so
   the set-up cell's `pip install` installs the package into the new environment;
3. afterwards `seq2seq_lib` must import, in the kernel and in a new process, from the new
   environment's site-packages (not from the checkout).

When the current environment can build the package itself (setuptools with bdist_wheel), pip runs
without an index or build isolation, so nothing is downloaded; otherwise it fetches setuptools from
the package index, as in Colab. Skipped only when a virtual environment cannot be created.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "01_rnn_textrnn.ipynb"
TIMEOUT_S = 600

# Runs with the new environment's Python: executes a notebook on a kernel of that same Python.
RUNNER = """
import sys
import ipykernel.kernelspec
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient


class ThisPython(KernelSpecManager):
    def get_kernel_spec(self, kernel_name):
        return self.kernel_spec_class(resource_dir=ipykernel.kernelspec.RESOURCES,
                                      **ipykernel.kernelspec.get_kernel_dict())


path, cell_timeout = sys.argv[1], int(sys.argv[2])
nb = nbformat.read(path, as_version=4)
km = KernelManager(kernel_name="python3", kernel_spec_manager=ThisPython())
client = NotebookClient(nb, km=km, timeout=cell_timeout, resources={"metadata": {"path": "."}})
try:
    client.execute()
finally:
    nbformat.write(nb, path)
"""
PROBE_CELL = "import seq2seq_lib as _s, sys as _y; print(_s.__file__); print(_y.executable)"


def _env_python(env_dir: Path) -> Path:
    return env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _run(args: list, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)


def _current_site_dirs() -> list[str]:
    """The current environment's package directories (site-packages, user site, dist-packages)."""
    return [p for p in dict.fromkeys(sys.path)
            if p and os.path.isdir(p) and Path(p).name in {"site-packages", "dist-packages"}]


def _can_build_offline() -> bool:
    """True if setuptools here can build a wheel of the package (bdist_wheel built in, or `wheel`)."""
    try:
        setuptools = Version(metadata.version("setuptools"))
    except metadata.PackageNotFoundError:
        return False
    if setuptools >= Version("70.1"):
        return True
    try:
        return setuptools >= Version("64") and bool(metadata.version("wheel"))
    except metadata.PackageNotFoundError:
        return False


def make_learner_env(env_dir: Path) -> tuple[Path, Path, dict]:
    """A venv that sees the current packages except seq2seq_lib: (python, its site-packages, env)."""
    try:
        venv.create(env_dir, with_pip=False, symlinks=os.name != "nt")
    except Exception as error:  # e.g. no venv module in a trimmed Python
        pytest.skip(f"no se puede crear un entorno virtual: {error!r}")
    python = _env_python(env_dir)
    found = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    if found.returncode != 0:
        pytest.skip(f"el entorno virtual nuevo no arranca: {found.stderr[-500:]}")
    site_dir = Path(found.stdout.strip())
    (site_dir / "_current_env.pth").write_text("\n".join(_current_site_dirs()) + "\n")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    # Install from a clean copy of the package's sources (as a fresh git clone would be), so that
    # pip's in-tree build leaves no build/ or *.egg-info in the checkout to leak into later builds.
    source = env_dir.parent / "source"
    shutil.copytree(REPO / "seq2seq_lib", source / "seq2seq_lib", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    env.update(PYTHONNOUSERSITE="1", SEQ2SEQ_LIB_SOURCE=str(source))
    if _can_build_offline():
        env.update(PIP_NO_INDEX="1", PIP_NO_BUILD_ISOLATION="0")  # "0" turns build isolation off
    return python, site_dir, env


def run_notebook_in_learner_env(notebook: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """Execute a copy of `notebook` in a fresh env; return (executed copy, env python, site dir)."""
    python, site_dir, env = make_learner_env(tmp_path / "venv")
    workdir = tmp_path / "learner"
    workdir.mkdir()
    probe = "import importlib.util as u, sys; sys.exit(u.find_spec('seq2seq_lib') is not None)"
    before = _run([python, "-c", probe], cwd=workdir, env=env)
    assert before.returncode == 0, (
        "seq2seq_lib ya se puede importar en el entorno nuevo: la prueba no probaría la instalación "
        f"(¿está instalado sin -e en {_current_site_dirs()}?) {before.stderr[-500:]}"
    )
    deps = "import ipykernel, nbclient, numpy, matplotlib, torch"
    reused = _run([python, "-c", deps], cwd=workdir, env=env)
    assert reused.returncode == 0, f"el entorno nuevo no ve las dependencias: {reused.stderr[-800:]}"

    copy = workdir / notebook.name
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE_CELL))
    nbformat.write(nb, copy)
    (tmp_path / "runner.py").write_text(RUNNER)
    result = _run([python, tmp_path / "runner.py", copy.name, TIMEOUT_S],
                  cwd=workdir, env=env, timeout=TIMEOUT_S + 60)
    assert result.returncode == 0, (
        f"{notebook.name} falla en un entorno nuevo (como en Colab):\n{result.stderr[-3000:]}"
    )
    return copy, python, site_dir


def test_notebook_01_installs_the_package_in_a_fresh_environment(tmp_path):
    assert NOTEBOOK.exists(), f"falta {NOTEBOOK.relative_to(REPO)}"
    copy, python, site_dir = run_notebook_in_learner_env(NOTEBOOK, tmp_path)
    installed = (site_dir / "seq2seq_lib").resolve()

    probe_outputs = nbformat.read(copy, as_version=4).cells[-1].outputs
    kernel_lines = "".join(o.get("text", "") for o in probe_outputs).splitlines()
    assert len(kernel_lines) == 2, f"salida inesperada de la celda de control: {probe_outputs}"
    assert Path(kernel_lines[0]).resolve().parent == installed, (
        f"el núcleo importó seq2seq_lib desde {kernel_lines[0]}, no desde {installed}"
    )
    assert Path(kernel_lines[1]).parent.parent.resolve() == (tmp_path / "venv").resolve(), (
        f"el núcleo no usó el Python del entorno nuevo: {kernel_lines[1]}"
    )

    check = ("import importlib.metadata as m, json, seq2seq_lib; "
             "d = m.distribution('seq2seq-lib'); "
             "print(json.dumps([seq2seq_lib.__file__, str(d.locate_file(''))]))")
    after = _run([python, "-c", check], cwd=tmp_path, env={"PYTHONNOUSERSITE": "1",
                                                           "PATH": os.environ.get("PATH", "")})
    assert after.returncode == 0, f"seq2seq_lib no se importa después: {after.stderr[-1500:]}"
    module_file, dist_location = json.loads(after.stdout)
    assert Path(module_file).resolve().parent == installed, module_file
    assert Path(dist_location).resolve() == site_dir.resolve(), (
        f"los metadatos de seq2seq-lib están en {dist_location}, no en el entorno nuevo"
    )
    assert not Path(module_file).resolve().is_relative_to(REPO)
    shutil.rmtree(tmp_path / "venv", ignore_errors=True)  # a few MB; pytest keeps tmp dirs
