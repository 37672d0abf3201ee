"""The README's and the site's generated tables are their sources (the benchmarks' result files,
the book's manifest), not copies typed by hand."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import readme_tables  # noqa: E402

pytestmark = pytest.mark.book

TEXTS = {page.relative_to(ROOT).as_posix(): page.read_text(encoding="utf-8") for page in readme_tables.PAGES}
BLOCKS = [(page, *block) for page, text in TEXTS.items() for block in readme_tables.blocks(text)]


def test_every_results_file_and_the_chapter_table_have_their_block_in_the_readme():
    files = {(file, part) for file, part, *_ in readme_tables.blocks(TEXTS["README.md"])}
    results = {f"benchmarks/{p.name}" for p in (ROOT / "benchmarks").glob("results_*.md")}
    assert {file for file, _ in files} == results | {"book.toml"}
    assert ("book.toml", "chapters") in files


def test_the_site_lists_the_chapters_and_exercises_of_the_manifest():
    assert [(f, p) for f, p, *_ in readme_tables.blocks(TEXTS["site/index.md"])] == [
        ("book.toml", "chapters"), ("book.toml", "toctree")]
    assert [(f, p) for f, p, *_ in readme_tables.blocks(TEXTS["site/exercises.md"])] == [("book.toml", "exercises")]


@pytest.mark.parametrize("page, file, part, body, expected", BLOCKS,
                         ids=[f"{b[0]}:{b[1]}" + (f":{b[2]}" if b[2] else "") for b in BLOCKS])
def test_the_block_equals_its_source(page, file, part, body, expected):
    assert body == expected, f"{page} is out of date with {file}: run python benchmarks/readme_tables.py"


def test_a_changed_source_is_noticed_and_copied():
    text = TEXTS["README.md"]
    for file, part, body, expected in readme_tables.blocks(text):
        stale = text.replace(body, body.replace("|", "| 1", 1), 1)
        assert [b for b in readme_tables.blocks(stale) if b[2] != b[3]], file
        assert readme_tables.updated(stale) == readme_tables.updated(text) == text


def test_the_chapter_table_has_a_row_per_chapter_linking_its_notebook():
    from helpers._book import BOOK

    table = readme_tables.chapter_table(BOOK).splitlines()[2:]
    assert len(table) == len(BOOK.chapters)
    for row, chapter in zip(table, BOOK.chapters):
        assert row.startswith(f"| {chapter.number} | [{chapter.title}](notebooks/{chapter.stem}.ipynb) |")
        assert (ROOT / "notebooks" / f"{chapter.stem}.ipynb").is_file()


def column(file, name, col):
    """Column ``col`` of the row of benchmarks/``file`` whose first cell starts with ``name``, as a number."""
    for line in (ROOT / "benchmarks" / file).read_text(encoding="utf-8").splitlines():
        if line.startswith(f"| {name}"):
            return float(line.split("|")[col])
    raise AssertionError(f"{name} not in {file}")


def stored_text(stem):
    """Everything a notebook's code cells printed, as stored, one string."""
    import json

    nb = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    return "".join("".join(out.get("text", "")) for cell in nb["cells"] if cell["cell_type"] == "code"
                   for out in cell.get("outputs", []))


def test_section_8_13_quotes_the_benchmarks_ratios():
    """Section 8.13's speed table is quoted from the benchmarks' result files, rounded as printed there."""
    import re

    chapter = (ROOT / "notebooks" / "08b_side_experiments.md").read_text(encoding="utf-8")
    rows = {row.split("|")[1].strip(): [cell.strip() for cell in row.split("|")[2:6]]
            for row in chapter.splitlines() if row.startswith(("| 64-64-10 on the digits", "| 784-256-10"))}
    assert len(rows) == 2, rows

    digits = rows["64-64-10 on the digits, batches of 16, 40 epochs at rate 2"]
    assert digits == ["1", f"{column('results_digits.md', 'scikit-learn', 3):.1f}",
                      f"{column('results_digits.md', 'PyTorch', 3):.1f}", ""]
    fast = column("results_mlp.md", "helpers.MLP (fast path)", 2)
    large = rows["784-256-10 on random data, batches of 128, float32, one epoch"]
    assert large == ["1", f"{column('results_mlp.md', 'scikit-learn', 2) / fast:.1f}",
                     f"{column('results_mlp.md', 'PyTorch', 2) / fast:.1f}",
                     f"{column('results_mlp.md', 'matmul floor', 2) / fast:.2f}"]
    slowest = max(column("results_mlp.md", name, 2) for name in ("helpers.MLP (fast path)", "PyTorch", "scikit-learn"))
    fastest = min(column("results_mlp.md", name, 2) for name in ("helpers.MLP (fast path)", "PyTorch", "scikit-learn"))
    floor = column("results_mlp.md", "matmul floor", 2)
    low, high = map(float, re.search(r"between ([\d.]+) and ([\d.]+) times as long", chapter).groups())
    assert (low, high) == (round(fastest / floor, 2), round(slowest / floor, 2))


def test_chapter_8_quotes_the_digits_speed_ratios():
    """Section 8.4's sentence on speed is quoted from the digits benchmark's result file, rounded as printed there."""
    chapter = one_line("08_training_a_digit_classifier")
    ratios = {name: column("results_digits.md", name, 3) for name in ("scikit-learn", "PyTorch")}
    quoted = (f"`MLP.fit` trains {ratios['scikit-learn']:.1f} times as fast as scikit-learn's `MLPClassifier` and "
              f"{ratios['PyTorch']:.1f} times as fast as PyTorch on the CPU")
    assert quoted in chapter, quoted


def test_section_8_7_quotes_section_8_13s_table_of_targets():
    """Section 8.7's table of the hidden layer and the targets is quoted from section 8.13's stored output."""
    import re

    printed = stored_text("08b_side_experiments")
    start = printed.index("the hidden layer and the targets apart")
    rows = {}
    for line in printed[start:].splitlines()[2:4]:  # softmax regression, then the network
        name, hard, hard_lr, smoothed, smoothed_lr = re.fullmatch(
            r"(.+?)\s+((?:about )?[\d.]+) \(([\d.]+)\)\s+([\d.]+) \(([\d.]+)\)", line.strip()).groups()
        rows[name] = (f"{hard} (rate {hard_lr})", f"{smoothed} (rate {smoothed_lr})")
    chapter = (ROOT / "notebooks" / "08_training_a_digit_classifier.md").read_text(encoding="utf-8")
    assert f"| softmax regression, SGD | {rows['softmax regression'][0]} | {rows['softmax regression'][1]} |" in chapter
    assert f"| network, 64 units | {rows['network, 64 units'][0]} | {rows['network, 64 units'][1]} |" in chapter


def printed_row(printed, heading, name):
    """The numbers after the name of the row ``name`` in the first block printed under ``heading`` (cells split
    at "|"), as the text quotes them: 248.0 as 248, 261.4 as 261.4."""
    block = printed[printed.index(heading):]
    for line in block.splitlines()[1:]:
        if line.strip().startswith(name):
            return [f"{float(cell):g}" for cell in line.strip()[len(name):].split("|")]
    raise AssertionError(f"{name} not printed under {heading}")


def one_line(stem):
    """A notebook's MyST text with every run of whitespace made one space, so that quotes may span lines."""
    return " ".join((ROOT / "notebooks" / f"{stem}.md").read_text(encoding="utf-8").split())


def test_section_8_7_quotes_section_8_13s_moved_copies_and_hard_labels():
    """Section 8.7's sentences on digits moved by a pixel quote section 8.13's stored output: the models trained on
    sideways copies, and the recipe with hard labels."""
    printed = stored_text("08b_side_experiments")
    chapter = one_line("08_training_a_digit_classifier")
    for heading, (a, b), template in [
            ("as they are | moved left | moved right",
             ("network, with sideways shifts", "softmax regression, fitted on sideways copies"),
             "the network still leads: {0[1]} and {0[2]} of 270, left and right, against softmax regression's "
             "{1[1]} and {1[2]} (section 8.13)"),
            ("validation images right (of 270), moved one pixel left | right",
             ("the recipe with hard labels", "softmax regression, converged"),
             "they keep {0[0]} and {0[1]} of the moved images, left and right, against softmax regression's "
             "{1[0]} and {1[1]}")]:
        quoted = template.format(printed_row(printed, heading, a), printed_row(printed, heading, b))
        assert quoted in chapter, quoted
    right = printed[printed.index("hard labels, moved right: ahead of softmax regression by "):].splitlines()[0]
    gap, p_value = right.split(" by ")[1].split(",")[0], right.rsplit(" ", 1)[1]
    quoted = f"On digits moved right their lead, {gap} images, is far inside the images' noise (p-value {p_value})"
    assert quoted in chapter, quoted
