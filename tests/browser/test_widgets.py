"""Every explorer answers a keyboard move of each slider with the numbers ``helpers`` computes.

After its chapter has run (the page the chapter test opened is reused), for every explorer
(``.book-explorer``) and every slider in it: focus the slider's handle, press ArrowRight (ArrowLeft
at the right end), wait for the redraw, and compare every readout row with

- the readout of a reference explorer built in this process as the chapter builds it, with its
  controls set to the values the page shows, and
- the explorer's plain compute function from ``helpers.widgets.<module>`` (see
  ``explorers.REGISTRY``) on the new control values,

within 1e-6 relative. A failure names the chapter, the widget, the slider and what it showed.
``--screenshots`` also saves each explorer's initial state to ``notebooks/images/<name>.png``.
"""

import pytest

from . import booklab, explorers

pytestmark = pytest.mark.browser


def _params():
    params = []
    for chapter in booklab.chapter_names():
        names = booklab.chapter_widgets(chapter)
        if not names:
            params.append(pytest.param(chapter, None, id=f"{chapter}-no-explorer"))
        for name in names:
            params.append(pytest.param(chapter, name, id=f"{chapter}-{name}"))
    return params


def _open(chapter, chapters):
    ch = chapters.get(chapter)
    if ch.kernel_dialog is not None or ch.report is None or ch.report["not_run"] or ch.report["errors"]:
        pytest.fail(f"{chapter} did not run cleanly, so its explorers cannot be checked "
                    "(see test_chapter_runs_all_cells_cleanly)", pytrace=False)
    return ch


def _each_explorer(chapter, widget, chapters):
    """The chapter's page, run, and the indices of the explorers ``widget`` on it."""
    if widget is None:
        pytest.skip(f"book.toml lists no explorer for {chapter}")
    ch = _open(chapter, chapters)
    indices = [e["index"] for e in ch.explorers() if e["name"] == widget]
    assert indices, f"{chapter}: the explorer {widget!r} is not on the page"
    return ch, indices


@pytest.mark.parametrize("chapter", booklab.chapter_names())
def test_every_explorer_on_the_page_is_checked(chapter, chapters):
    """The explorers the page shows are those the manifest lists for the chapter, found in the
    chapter's code and replayed here."""
    ch = _open(chapter, chapters)
    on_page = [e["name"] for e in ch.explorers()]
    in_code = explorers.widgets_in_chapter(ch.path)
    listed = booklab.chapter_widgets(chapter)
    assert sorted(set(on_page)) == sorted(in_code) == sorted(listed), (
        f"{chapter}: explorers on the page {on_page}, in the chapter's code {in_code}, in book.toml {listed}")
    replayed = [e.name for e in chapters.reference_explorers(ch.path)]
    assert replayed == on_page, f"{chapter}: the page shows {on_page}, replaying the code gives {replayed}"


@pytest.mark.parametrize("chapter, widget", _params())
def test_widget_readout_follows_each_slider(chapter, widget, chapters, request):
    ch, on_page = _each_explorer(chapter, widget, chapters)
    references = [e for e in chapters.reference_explorers(ch.path) if e.name == widget]
    assert len(references) == len(on_page), (
        f"{chapter}: {len(on_page)} {widget!r} on the page, {len(references)} when replaying the code")
    results = getattr(request.config, "_book_widget_results", [])
    request.config._book_widget_results = results
    failures = []
    for instance, (index, reference) in enumerate(zip(on_page, references)):
        if request.config.getoption("--screenshots"):
            suffix = "" if instance == 0 else f"-{instance + 1}"
            target = booklab.NOTEBOOKS / "images" / f"{widget}{suffix}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            ch.screenshot_explorer(index, target)
        sliders = [i for i, c in enumerate(explorers.leaf_controls(reference)) if explorers.is_movable_slider(c)]
        if not sliders:
            failures.append(f"{widget}#{instance}: no slider to move")
        for position in sliders:
            r = explorers.check_slider(ch, index, reference, position)
            r.update(chapter=chapter, widget=widget, instance=instance)
            results.append(r)
            if r["problems"]:
                failures.append(
                    f"{widget}#{instance}, {r['control']} moved {r['old']!r} -> {r['new']!r}:\n    "
                    + "\n    ".join(r["problems"])
                    + f"\n    the page showed: {r['shown']}")
        if not any(r["n_direct"] for r in results if r["widget"] == widget and r["chapter"] == chapter):
            failures.append(f"{widget}#{instance}: no readout row was checked against its compute function "
                            f"(add it to explorers.REGISTRY)")
    assert not failures, f"{chapter}:\n" + "\n".join(failures)
