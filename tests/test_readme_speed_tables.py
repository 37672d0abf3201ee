"""The README's speed tables are the benchmarks' result files, not copies typed by hand."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import readme_tables  # noqa: E402

pytestmark = pytest.mark.book

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_results_file_has_its_block_in_the_readme():
    files = {file for file, *_ in readme_tables.blocks(README)}
    assert files == {f"benchmarks/{p.name}" for p in (ROOT / "benchmarks").glob("results_*.md")}


@pytest.mark.parametrize("file, table_only, body, expected",
                         readme_tables.blocks(README), ids=[b[0] for b in readme_tables.blocks(README)])
def test_the_readme_block_equals_the_results_file(file, table_only, body, expected):
    assert body == expected, f"README.md is out of date with {file}: run python benchmarks/readme_tables.py"


def test_a_changed_results_file_is_noticed_and_copied():
    file, table_only, body, expected = readme_tables.blocks(README)[0]
    stale = README.replace(body, body.replace("|", "| 1", 1), 1)
    assert [b for b in readme_tables.blocks(stale) if b[2] != b[3]]
    assert readme_tables.updated(stale) == readme_tables.updated(README) == README
