"""Shared pytest configuration: the test layers, notebook validation on by default, and a bounded
hypothesis profile so the suite stays quick on 2 cores.

Every test belongs to one layer, a marker registered in pyproject.toml: ``helpers`` (the library),
``widgets`` (the widgets' computations), ``book`` (the notebooks), ``course`` (the nbgrader
course), ``browser`` (JupyterLab in Chromium). A test module declares its layer with
``pytestmark = pytest.mark.<layer>``; nbval's notebook cells are ``book``. ``python -m pytest``
runs every layer, ``python -m pytest -m helpers`` one of them.
"""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "book", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("thorough", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "book"))

LAYERS = ("helpers", "widgets", "book", "course", "browser")

# A chapter's pins (helpers.pins.pin) raise under the tests: set before any kernel starts, so that
# every kernel nbval, the rounding nudge or the site build starts inherits it. A reader's kernel
# does not, and there a pin that fails prints a note instead.
os.environ["BOOK_STRICT_PINS"] = "1"


def pytest_configure(config):
    """Validate the notebooks with nbval unless told otherwise: ``python -m pytest`` collects every
    chapter (``--nbval-lax`` or ``-p no:nbval`` still win). The strict mode is the default, with
    the options in pyproject.toml's addopts (the sanitizer among them)."""
    option = config.option
    if hasattr(option, "nbval") and not option.nbval_lax:
        option.nbval = True


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(config, items):
    unmarked = []
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.book)
        elif not any(item.get_closest_marker(layer) for layer in LAYERS):
            unmarked.append(item.nodeid)
    if unmarked:
        raise pytest.UsageError(
            f"{len(unmarked)} test(s) belong to no layer; give their module a "
            f"'pytestmark = pytest.mark.<layer>' with a layer of {LAYERS}: {unmarked[:5]}"
        )
