"""The reader's conda environment and the reader's pip install name the same packages.

``environment.yml`` (conda, Binder, JupyterHub) must equal ``pyproject.toml``'s core
``dependencies``, with the same lower bounds, and install the book itself; the teacher's and the
maintainer's tools (nbgrader, the test and site tools) stay out of both.
"""

import re
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parents[1]


def _requirement(text: str) -> tuple[str, str]:
    m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", text)
    assert m, f"cannot read the requirement {text!r}"
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def _conda_environment(text: str) -> tuple[dict[str, str], list[str]]:
    """The conda packages (name -> version bound) and the pip lines of an environment.yml."""
    conda, pip, in_pip = {}, [], False
    for line in text.split("\ndependencies:\n", 1)[1].splitlines():
        item = re.match(r"^(\s*)- (.+?)\s*$", line)
        if not item:
            in_pip = in_pip and line.startswith("    ")
            continue
        indent, value = len(item.group(1)), item.group(2)
        if value == "pip:":
            in_pip = True
        elif in_pip and indent > 2:
            pip.append(value)
        elif indent == 2 and value != "pip":
            in_pip = False
            name, bound = _requirement(value)
            conda[name] = bound
    return conda, pip


def _problems(environment_yml: str, pyproject_toml: str) -> list[str]:
    project = tomllib.loads(pyproject_toml)["project"]
    wanted = dict(_requirement(r) for r in project["dependencies"])
    wanted["python"] = project["requires-python"]
    conda, pip = _conda_environment(environment_yml)
    problems = []
    if conda != wanted:
        problems.append(f"environment.yml {conda} differs from pyproject.toml's dependencies {wanted}")
    if pip != ["-e ."]:
        problems.append(f"environment.yml's pip section should install only the book: {pip}")
    return problems


def test_environment_yml_is_the_readers_install():
    problems = _problems((ROOT / "environment.yml").read_text(), (ROOT / "pyproject.toml").read_text())
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("old, new", [
    ("numpy>=2.0", "numpy>=1.26"),                 # a bound that drifts
    ("  - ipykernel>=6.29\n", ""),                # a dependency left out
    ("  - pip\n", "  - nbgrader>=0.9.2\n  - pip\n"),  # the teacher's tool in the reader's install
])
def test_the_check_sees_an_environment_that_drifts(old, new):
    text = (ROOT / "environment.yml").read_text()
    assert old in text
    assert _problems(text.replace(old, new), (ROOT / "pyproject.toml").read_text())
