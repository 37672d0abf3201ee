"""How the explorers look on a laptop screen, in the light and the dark theme.

After its chapter has run (the page the chapter test opened is reused, before any slider moves):

- every slider starts at the value the chapter's explorer holds: the page shows each control at its
  initial state, nothing clamped to a slider's end (the reference explorer is built in this process
  as the chapter builds it);
- at 1024 x 700 with the file browser open, each explorer, scrolled to the top of the notebook,
  fits the visible height with its figure, nothing reaches past its right edge, no label is cut and
  its figure is shown at (nearly) its own size, so its text keeps its size;
- in JupyterLab's dark theme the figures, the explorers' and every chapter's own, are shown on dark
  paper, not as white rectangles.

Screenshots of each explorer at 1024 x 700, light and dark, are saved to ``build/screenshots/``.
"""

import contextlib
import time

import pytest

from . import booklab, explorers
from .test_widgets import _each_explorer, _params

SCREENSHOTS = booklab.ROOT / "build" / "screenshots"
LAPTOP = {"width": 1024, "height": 700}

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("chapter, widget", _params())
def test_every_control_starts_at_the_explorers_initial_state(chapter, widget, chapters):
    ch, indices = _each_explorer(chapter, widget, chapters)
    references = [e for e in chapters.reference_explorers(ch.path) if e.name == widget]
    problems = []
    for index, reference in zip(indices, references):
        shown = ch.explorer_state(index)["controls"]
        for control, on_page in zip(explorers.leaf_controls(reference), shown):
            if not explorers.page_matches(control, on_page["value"]):
                problems.append(f"{widget}#{index}: {control.description!r} holds {control.value!r} "
                                f"but the page shows {on_page['value']!r}")
    assert not problems, f"{chapter}:\n" + "\n".join(problems)


@contextlib.contextmanager
def _laptop(page, dark=False):
    """The page at 1024 x 700 (in the dark theme when asked), then as it was."""
    viewport = dict(page.viewport_size)
    page.set_viewport_size(LAPTOP)
    theme = "dark" if dark else "light"
    page.emulate_media(color_scheme=theme)  # the book's lab follows the system's theme
    try:
        page.wait_for_function(f"document.body.dataset.jpThemeLight === '{str(not dark).lower()}'", timeout=15000)
        time.sleep(0.5)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        yield
    finally:
        page.emulate_media(color_scheme="light")
        page.wait_for_function("document.body.dataset.jpThemeLight === 'true'", timeout=15000)
        page.set_viewport_size(viewport)


@pytest.mark.parametrize("chapter, widget", _params())
def test_explorer_fits_a_laptop_screen_with_its_figure(chapter, widget, chapters):
    ch, indices = _each_explorer(chapter, widget, chapters)
    page = ch.page
    problems = []
    with _laptop(page):
        assert page.is_visible(".jp-FileBrowser"), "the file browser is not open"
        for k, index in enumerate(indices):
            lay = ch.explorer_layout(index)
            page.screenshot(path=str(SCREENSHOTS / f"{widget}-{k + 1}-1024x700.png"))
            where = f"{widget}#{k + 1} at 1024 x 700"
            if lay["height"] > lay["visibleHeight"]:
                problems.append(f"{where}: {lay['height']:.0f} px tall, the notebook shows {lay['visibleHeight']:.0f} px")
            if lay["scrollWidth"] > lay["clientWidth"] or lay["sticking"] or lay["pageOverflow"]:
                problems.append(f"{where}: overflows sideways ({lay['scrollWidth']} > {lay['clientWidth']} px): "
                                f"{lay['sticking']}")
            if lay["cut"]:
                problems.append(f"{where}: labels cut short: {lay['cut']}")
            fig = lay["figure"]
            if fig is None or fig["width"] < 0.95 * fig["natural"]:
                problems.append(f"{where}: figure shown at {fig and fig['width']:.0f} px of its {fig and fig['natural']} px")
    assert not problems, f"{chapter}:\n" + "\n".join(problems)


@pytest.mark.parametrize("chapter, widget", _params())
def test_figures_sit_on_dark_paper_in_the_dark_theme(chapter, widget, chapters):
    ch, indices = _each_explorer(chapter, widget, chapters)
    with _laptop(ch.page, dark=True):
        for k, index in enumerate(indices):
            ch.explorer_layout(index)
            ch.page.screenshot(path=str(SCREENSHOTS / f"{widget}-{k + 1}-dark.png"))
            # the mean brightness of the figure as shown (0 black .. 255 white)
            shot = ch.explorer_locator(index).locator(".book-figure").screenshot()
            brightness = booklab.mean_brightness(shot)
            assert brightness < 110, f"{chapter} {widget}#{k + 1}: the figure is a bright rectangle ({brightness:.0f}/255)"


@pytest.mark.parametrize("chapter", booklab.chapter_names())
def test_chapter_figures_sit_on_dark_paper_in_the_dark_theme(chapter, chapters):
    """Every matplotlib figure of the chapter (the stored and the re-run outputs alike) is shown
    inverted in the dark theme by the book's stylesheet (``.jupyter/custom/custom.css``, served by
    the ``helpers._jupyterlab`` server extension), so none is a white rectangle."""
    ch = chapters.get(chapter)
    page = ch.page
    with _laptop(page, dark=True):
        figures = page.locator(".jp-OutputArea-output.jp-RenderedImage img")
        bright = []
        for i in range(figures.count()):
            shot = figures.nth(i).screenshot()  # scrolled into view first
            brightness = booklab.mean_brightness(shot)
            if i == 0:
                page.screenshot(path=str(SCREENSHOTS / f"{chapter}-first-figure-dark.png"))
            if brightness >= 110:
                bright.append(f"figure {i + 1}: mean brightness {brightness:.0f}/255")
    assert figures.count() > 0, f"{chapter}: no figure found on the page"
    assert not bright, f"{chapter}: figures shown as bright rectangles in the dark theme:\n" + "\n".join(bright)
