"""Consistency of the project's dependency files: requirements.txt, environment.yml, pyproject.toml.

requirements.txt (pip) and environment.yml (conda) must list the same packages with the same
lower bounds and no upper pins, both including the course package itself (`-e .`); the package's
own dependencies in pyproject.toml must be covered by requirements.txt.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 (pytest itself depends on tomli there)
    import tomli as tomllib

try:  # PyYAML comes with jupyterlab (jupyter_server -> jupyter_events); not a declared dependency.
    import yaml
except ImportError:  # pragma: no cover
    yaml = None

REPO = Path(__file__).resolve().parents[1]
SELF_INSTALL = "-e ."
CONDA_TO_PIP = {"pytorch": "torch"}  # conda-forge name -> PyPI name
CONDA_TOOLING = {"pip", "python"}  # pip runs the `pip:` section; python is checked on its own


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse_requirements_txt(path: Path) -> tuple[dict[str, SpecifierSet], list[str]]:
    """Return ({package: specifiers}, [other lines such as '-e .'])."""
    packages, others = {}, []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-"):
            others.append(" ".join(line.split()))
            continue
        req = Requirement(line)
        packages[_canonical(req.name)] = req.specifier
    return packages, others


def _mini_yaml(text: str) -> dict:
    """Parse the small subset of YAML that environment.yml uses (used only without PyYAML)."""
    data: dict = {}
    key, nested = None, None
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        item = line.strip()
        if indent == 0:
            key, _, value = item.partition(":")
            data[key] = value.strip() or []
            nested = None
        elif item.startswith("- ") and item.endswith(":"):  # "- pip:" opens a nested list
            nested = []
            data[key].append({item[2:-1].strip(): nested})
        elif item.startswith("- "):
            target = nested if nested is not None and indent > 2 else data[key]
            if target is not nested:
                nested = None
            target.append(item[2:].strip())
    return data


def _load_environment_yml(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text) if yaml is not None else _mini_yaml(text)


def _parse_environment_yml(path: Path) -> tuple[dict[str, SpecifierSet], list[str], dict]:
    """Return ({package (PyPI name): specifiers}, [pip-section lines], whole document)."""
    env = _load_environment_yml(path)
    packages, pip_lines = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_lines += [" ".join(str(x).split()) for x in dep.get("pip", [])]
            continue
        req = Requirement(dep.replace(" ", ""))
        name = _canonical(req.name)
        if name in CONDA_TOOLING:
            continue
        packages[CONDA_TO_PIP.get(name, name)] = req.specifier
    return packages, pip_lines, env


def _lower_bound(spec: SpecifierSet) -> str | None:
    bounds = [s.version for s in spec if s.operator == ">="]
    return bounds[0] if len(bounds) == 1 else None


def _only_lower_bound_problems(where: str, packages: dict[str, SpecifierSet]) -> list[str]:
    problems = []
    for name, spec in packages.items():
        ops = sorted(s.operator for s in spec)
        if ops != [">="]:
            problems.append(f"{where}: {name}{spec} — se espera solo una cota inferior `>=`")
    return problems


@pytest.fixture(scope="module")
def pip_reqs():
    return _parse_requirements_txt(REPO / "requirements.txt")


@pytest.fixture(scope="module")
def conda_env():
    return _parse_environment_yml(REPO / "environment.yml")


def test_requirements_txt_has_lower_bounds_only_and_installs_the_package(pip_reqs):
    packages, others = pip_reqs
    assert "torch" in packages, "requirements.txt debe incluir torch"
    problems = _only_lower_bound_problems("requirements.txt", packages)
    assert not problems, "\n".join(problems)
    assert others == [SELF_INSTALL], f"requirements.txt debe instalar el paquete con `-e .`; hay {others}"


def test_environment_yml_is_conda_forge_with_lower_bounds_only(conda_env):
    packages, pip_lines, env = conda_env
    assert env.get("channels") == ["conda-forge"], "environment.yml debe usar solo el canal conda-forge"
    problems = _only_lower_bound_problems("environment.yml", packages)
    assert not problems, "\n".join(problems)
    assert pip_lines == [SELF_INSTALL], f"la sección pip: debe ser solo `-e .`; hay {pip_lines}"
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    requires_python = _pyproject()["project"]["requires-python"]
    assert [p.replace(" ", "") for p in python] == [f"python{requires_python}"], (
        f"environment.yml debe fijar python{requires_python} como en pyproject.toml; hay {python}"
    )


def test_requirements_and_environment_list_the_same_packages_and_bounds(pip_reqs, conda_env):
    pip_packages, conda_packages = pip_reqs[0], conda_env[0]
    assert set(pip_packages) == set(conda_packages), (
        f"solo en requirements.txt: {sorted(set(pip_packages) - set(conda_packages))}; "
        f"solo en environment.yml: {sorted(set(conda_packages) - set(pip_packages))}"
    )
    different = {n: (str(pip_packages[n]), str(conda_packages[n]))
                 for n in pip_packages if pip_packages[n] != conda_packages[n]}
    assert not different, f"cotas distintas (requirements.txt, environment.yml): {different}"


def test_package_dependencies_are_covered_by_requirements(pip_reqs):
    packages = pip_reqs[0]
    problems = []
    for line in _pyproject()["project"]["dependencies"]:
        req = Requirement(line)
        name = _canonical(req.name)
        if any(s.operator in {"<", "<=", "==", "~=", "==="} for s in req.specifier):
            problems.append(f"pyproject.toml fija un tope: {line}")
        if name not in packages:
            problems.append(f"{name} está en pyproject.toml pero no en requirements.txt")
            continue
        ours, theirs = _lower_bound(packages[name]), _lower_bound(req.specifier)
        if theirs is not None and (ours is None or Version(ours) < Version(theirs)):
            problems.append(f"{name}: requirements.txt pide >={ours}, pyproject.toml >={theirs}")
    assert not problems, "\n".join(problems)


def test_mini_yaml_parser_matches_pyyaml():
    if yaml is None:
        pytest.skip("PyYAML no está instalado; environment.yml se lee con el analizador mínimo")
    text = (REPO / "environment.yml").read_text(encoding="utf-8")
    assert _mini_yaml(text) == yaml.safe_load(text)


def test_readme_links_each_notebook_to_the_configured_repository():
    repository = _pyproject()["project"]["urls"]["Repository"].rstrip("/")
    slug = repository.removeprefix("https://github.com/")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    refs = re.findall(r"(?:colab\.research\.google\.com/github|github\.com)/([\w.-]+/[\w-]+)", readme)
    course = {r for r in refs if r.split("/")[1] == slug.split("/")[1] or r.split("/")[0] == slug.split("/")[0]}
    assert course <= {slug}, f"el README enlaza {sorted(course - {slug})} en vez de {slug}"
    assert f"git clone {repository}.git" in readme, f"el inicio rápido debe clonar {repository}.git"
    colab = re.compile(rf"colab\.research\.google\.com/github/{re.escape(slug)}/blob/main/(notebooks/[\w.-]+)\)")
    linked = set(colab.findall(readme))
    existing = {f"notebooks/{p.name}" for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert linked == existing, (
        f"cuadernos sin enlace de Colab en el README: {sorted(existing - linked)}; "
        f"enlaces a cuadernos que no existen: {sorted(linked - existing)}"
    )
