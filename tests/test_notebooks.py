"""Structure of every notebook in notebooks/ (the house standard of the course guide).

nbval (configured in pyproject.toml) executes the notebooks; this file checks what is committed:
header cell with the Colab badge for the configured repository, the set-up cell, executed in order
on a fresh kernel with no errors and no machine paths, `# NBVAL_*` markers used properly, and the
"Ejercicios" / "Resumen" sections. `notebook_problems(path, repository)` returns every problem
found, so a failure lists them all at once.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 (pytest itself depends on tomli there)
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))

FILE_NAME = re.compile(r"^(\d\d)_[a-z0-9]+(?:_[a-z0-9]+)*\.ipynb$")
BADGE = ("[![Abrir en Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
         "(https://colab.research.google.com/github/{slug}/blob/main/notebooks/{name})")
# github.com/<owner>/<repo> (also via Colab and raw.githubusercontent.com).
GITHUB_REF = re.compile(
    r"(?P<prefix>git\+)?(?:https?://)?(?P<host>colab\.research\.google\.com/github|github\.com"
    r"|raw\.githubusercontent\.com)/(?P<owner>[\w.-]+)/(?P<repo>[\w-]+(?:\.(?!git\b)[\w-]+)*)"
    r"(?P<rest>[^\s)\"'>\]]*)"
)
# An absolute path of the machine that ran the notebook (not preceded by a URL's host or path).
MACHINE_PATH = re.compile(
    r"(?<![\w./:-])/(?:work|tmp|home|root|Users|content)/|site-packages|dist-packages"
    r"|\b[A-Za-z]:\\"
)
TEXT_MIMETYPE = re.compile(r"^text/|json$|javascript$")  # images are base64: '/home/' may occur
SETUP_LINES = [
    'if importlib.util.find_spec("seq2seq_lib") is None:',
    'FUENTE = os.environ.get("SEQ2SEQ_LIB_SOURCE", "git+{url}.git")',
    'subprocess.run([sys.executable, "-m", "pip", "install", "-q", FUENTE], check=True)',
    "importlib.invalidate_caches()",
    'SEED = int(os.environ.get("SEQ2SEQ_SEED", "0"))',
]


def repository_url() -> str:
    """The course's repository, configured once in pyproject.toml ([project.urls] Repository)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    url = project["urls"]["Repository"].rstrip("/")
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url), f"URL de repositorio rara: {url}"
    return url


def _output_texts(output: dict) -> list[str]:
    if output.get("output_type") == "stream":
        return [output.get("text", "")]
    if output.get("output_type") == "error":
        return [output.get("evalue", "")] + list(output.get("traceback", []))
    texts = []
    for mimetype, value in output.get("data", {}).items():
        if TEXT_MIMETYPE.search(mimetype):
            texts.append(value if isinstance(value, str) else repr(value))
    return texts


def _course_reference_problems(text: str, where: str, slug: str) -> list[str]:
    owner, repo = slug.lower().split("/")
    problems = []
    for m in GITHUB_REF.finditer(text):
        ref_owner, ref_repo = m["owner"].lower(), m["repo"].lower()
        about_course = (
            m["prefix"] or m["host"].startswith("colab") or ref_owner == owner or ref_repo == repo
            or re.search(r"/notebooks/\d\d_\w+\.ipynb", m["rest"])
        )
        if about_course and (ref_owner, ref_repo) != (owner, repo):
            problems.append(f"{where}: enlace a {m['owner']}/{m['repo']} en vez de {slug}: {m[0]}")
    return problems


def _nbval_skip_problems(source: str, where: str) -> list[str]:
    lines = source.splitlines()
    problems = []
    for i, line in enumerate(lines):
        if "# NBVAL_SKIP" not in line:
            continue
        reason = line.split("# NBVAL_SKIP", 1)[1]
        next_line = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if len(re.findall(r"\w+", reason)) < 2 and not re.match(r"#\s*\w+\s+\w+", next_line):
            problems.append(f"{where}: `# NBVAL_SKIP` sin un comentario que diga por qué")
    return problems


def notebook_problems(path: Path, repository: str) -> list[str]:
    """Every way in which the notebook at `path` departs from the course standard (empty if none)."""
    path = Path(path)
    match = FILE_NAME.match(path.name)
    if not match:
        return [f"{path.name}: el nombre debe ser NN_slug.ipynb (p. ej. 01_rnn_textrnn.ipynb)"]
    number, slug = match[1], repository.removeprefix("https://github.com/")
    nb = nbformat.read(path, as_version=4)
    problems = []
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as error:
        problems.append(f"formato de cuaderno no válido: {error.message}")
    cells = nb.cells
    if len(cells) < 2:
        return problems + ["el cuaderno necesita al menos la celda de cabecera y la de configuración"]

    header = cells[0]
    if header.cell_type != "markdown" or not re.match(rf"# {number} · \S", header.source):
        problems.append(f"celda 0: debe ser markdown y empezar con `# {number} · Título`")
    badge = BADGE.format(slug=slug, name=path.name)
    if badge not in header.source:
        problems.append(f"celda 0: falta la insignia de Colab exacta: {badge}")

    setup = cells[1]
    if setup.cell_type != "code" or not setup.source.startswith("# Configuración"):
        problems.append("celda 1: debe ser la celda de código que empieza con `# Configuración`")
    setup_lines = {line.strip() for line in setup.source.splitlines()}
    for expected in SETUP_LINES:
        expected = expected.format(url=repository)
        if not any(line.startswith(expected) for line in setup_lines):
            problems.append(f"celda 1: falta la línea `{expected}`")

    code_cells = [(i, c) for i, c in enumerate(cells) if c.cell_type == "code"]
    for expected, (index, cell) in enumerate(code_cells, start=1):
        if cell.execution_count != expected:
            problems.append(
                f"celda {index}: execution_count {cell.execution_count}, se esperaba {expected}: el "
                f"cuaderno debe guardarse ejecutado en orden en un núcleo nuevo (1, 2, 3, …)"
            )
            break
    headings = [c.source for c in cells if c.cell_type == "markdown"]
    for section in ("Ejercicios", "Resumen"):
        if not any(re.search(rf"^##\s+(?:\d+\.\s*)?{section}\b", s, re.M) for s in headings):
            problems.append(f"falta una celda markdown con el encabezado `## {section}`")

    for index, cell in enumerate(cells):
        where = f"celda {index}"
        problems += _course_reference_problems(cell.source, where, slug)
        if re.search(r"^\s*# Tu respuesta", cell.source, re.M) and cell.cell_type != "code":
            problems.append(f"{where}: `# Tu respuesta` debe estar en una celda de código")
        if cell.cell_type != "code":
            continue
        if not cell.source.strip():
            problems.append(f"{where}: celda de código vacía (nbclient no la ejecuta)")
        problems += _nbval_skip_problems(cell.source, where)
        if "# NBVAL_CHECK_OUTPUT" in cell.source and not cell.outputs:
            problems.append(f"{where}: lleva `# NBVAL_CHECK_OUTPUT` pero no tiene salida guardada")
        for output in cell.outputs:
            if output.output_type == "error":
                problems.append(f"{where}: salida de error guardada ({output.get('ename')})")
            for text in _output_texts(output):
                found = MACHINE_PATH.search(text)
                if found:
                    context = text[max(0, found.start() - 40): found.end() + 40].replace("\n", " ")
                    problems.append(f"{where}: ruta de la máquina en la salida: …{context}…")
                problems += _course_reference_problems(text, f"{where} (salida)", slug)
    return problems


def test_the_course_has_notebook_01():
    assert any(p.name.startswith("01_") for p in NOTEBOOKS), (
        f"no hay ningún cuaderno 01_*.ipynb en {NOTEBOOK_DIR.relative_to(REPO)}/"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_follows_the_course_standard(path):
    problems = notebook_problems(path, repository_url())
    assert not problems, f"{path.name}:\n- " + "\n- ".join(problems)


# --- The checker itself, on small notebooks built here (runs even before the first notebook exists).

REPOSITORY = "https://github.com/curso-secuencias/seq2seq-pytorch"
SETUP_SOURCE = f'''# Configuración: instala seq2seq_lib si hace falta (Colab), importa, fija la semilla y el dispositivo.
import importlib, importlib.util, os, subprocess, sys

if importlib.util.find_spec("seq2seq_lib") is None:
    FUENTE = os.environ.get("SEQ2SEQ_LIB_SOURCE", "git+{REPOSITORY}.git")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", FUENTE], check=True)
    importlib.invalidate_caches()

import torch
SEED = int(os.environ.get("SEQ2SEQ_SEED", "0"))  # el benchmark prueba otras semillas
'''


def _good_notebook() -> nbformat.NotebookNode:
    v4 = nbformat.v4
    nb = v4.new_notebook()
    nb.cells = [
        v4.new_markdown_cell(
            "# 07 · Seq2seq\n\n" + BADGE.format(slug="curso-secuencias/seq2seq-pytorch",
                                                name="07_seq2seq.ipynb")
            + "\n\nVer también [minGPT](https://github.com/karpathy/minGPT)."),
        v4.new_code_cell(SETUP_SOURCE, execution_count=1),
        v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(2 + 2)", execution_count=2,
                         outputs=[v4.new_output("stream", name="stdout", text="4\n")]),
        v4.new_code_cell("# NBVAL_SKIP: abre una ventana interactiva\nx = 1", execution_count=3),
        v4.new_markdown_cell("## 4. Ejercicios\n\n1. Cambia el tamaño oculto."),
        v4.new_code_cell("# Tu respuesta\n", execution_count=4),
        v4.new_markdown_cell("## Resumen\n\n- …\n\nSiguiente: [08](08_atencion.ipynb)"),
    ]
    return nb


def test_checker_accepts_a_notebook_that_follows_the_standard(tmp_path):
    path = tmp_path / "07_seq2seq.ipynb"
    nbformat.write(_good_notebook(), path)
    assert notebook_problems(path, REPOSITORY) == []


def test_checker_reports_each_departure(tmp_path):
    v4 = nbformat.v4
    nb = _good_notebook()
    nb.cells[0].source = nb.cells[0].source.replace("# 07 ·", "# 7 -")
    nb.cells[0].source = nb.cells[0].source.replace("curso-secuencias/seq2seq-pytorch", "yo/mi-fork")
    nb.cells[1].source = nb.cells[1].source.replace('"SEQ2SEQ_SEED", "0"', '"SEED", "0"')
    nb.cells[2].outputs = []
    nb.cells[3].source = "# NBVAL_SKIP\nx = 1"
    nb.cells[4].source = "## Ejercicios\n\n# Tu respuesta"
    nb.cells[5].execution_count = 7
    nb.cells[6].source = "Fin."
    nb.cells.append(v4.new_code_cell("1 / 0", execution_count=5, outputs=[
        v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero", traceback=[]),
        v4.new_output("stream", name="stderr", text="  File /home/ana/x.py, línea 1\n"),
    ]))
    nb.cells.append(v4.new_markdown_cell("Clónalo: `git clone https://github.com/otra/seq2seq-pytorch`"))
    path = tmp_path / "07_seq2seq.ipynb"
    nbformat.write(nb, path)
    report = "\n".join(notebook_problems(path, REPOSITORY))
    for expected in [
        "celda 0: debe ser markdown y empezar con `# 07 · Título`",
        "celda 0: falta la insignia de Colab exacta",
        "celda 0: enlace a yo/mi-fork",
        'celda 1: falta la línea `SEED = int(os.environ.get("SEQ2SEQ_SEED", "0"))`',
        "celda 2: lleva `# NBVAL_CHECK_OUTPUT` pero no tiene salida guardada",
        "celda 3: `# NBVAL_SKIP` sin un comentario",
        "celda 4: `# Tu respuesta` debe estar en una celda de código",
        "celda 5: execution_count 7, se esperaba 4",
        "falta una celda markdown con el encabezado `## Resumen`",
        "celda 7: salida de error guardada (ZeroDivisionError)",
        "celda 7: ruta de la máquina en la salida",
        "celda 8: enlace a otra/seq2seq-pytorch",
    ]:
        assert expected in report, f"falta «{expected}» en el informe:\n{report}"
    assert "karpathy" not in report  # links to other projects are fine
    bad_name = tmp_path / "7_seq2seq.ipynb"
    nbformat.write(_good_notebook(), bad_name)
    assert "el nombre debe ser NN_slug.ipynb" in notebook_problems(bad_name, REPOSITORY)[0]
