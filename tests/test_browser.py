"""The public web page in a real browser: Chromium (Debian's), driven by Playwright.

Run by `make test` where Chromium is installed, and by `make test-browser`, which insists.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import CHROMIUM, SHIPPED_INPUTS, write_region
from pipeline.cli import main

pytestmark = pytest.mark.browser
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def publish(inputs, folder, monkeypatch, capsys):
    monkeypatch.chdir(folder)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1728864000")
    for command in ("release", "publish"):
        assert main([command, "--inputs", str(inputs)]) == 0, capsys.readouterr().err
    return folder / "outputs" / "WTSA-24" / "publish" / "WTSA-24_Issues_Matrix_v1" / "index.html"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def shipped_page(tmp_path, monkeypatch, capsys, validating):
    inputs = shutil.copytree(SHIPPED_INPUTS, tmp_path / "inputs")
    return publish(inputs, tmp_path, monkeypatch, capsys)


def opened(browser, path, width=1400, height=900, scripts=True):
    """The page, and every request it made."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=scripts
    )
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    return page, requests


def visible_rows(page) -> list[str]:
    return page.eval_on_selector_all(
        "#matrix tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.id)"
    )


def test_the_page_asks_nothing_of_any_other_server(browser, shipped_page):
    page, requests = opened(browser, shipped_page)
    page.wait_for_load_state("networkidle")
    assert requests == [shipped_page.as_uri()]


def test_filters_by_region_concern_topic_and_text_hide_the_right_rows(browser, shipped_page):
    page, _ = opened(browser, shipped_page)
    every = visible_rows(page)
    assert len(every) == 41
    region_rows = page.eval_on_selector_all(
        "#matrix tbody tr",
        "rows => rows.filter(r => r.dataset.regions.split(' ').includes('CITEL')).map(r => r.id)",
    )
    page.select_option("select[name=region]", "CITEL")
    assert visible_rows(page) == region_rows and 0 < len(region_rows) < 41
    page.select_option("select[name=concern]", "Low")  # CITEL's concern, then
    citel_low = page.eval_on_selector_all(
        "#matrix tbody tr td[data-region=CITEL].c-low", "cells => cells.map(c => c.parentNode.id)"
    )
    assert visible_rows(page) == citel_low and citel_low
    assert page.text_content("#shown") == f"Showing {len(citel_low)} of 41 resolutions."
    page.select_option("select[name=region]", "")  # the overall concern
    low = page.eval_on_selector_all(
        "#matrix tbody tr td.overall.c-low", "cells => cells.map(c => c.parentNode.id)"
    )
    assert visible_rows(page) == low and 0 < len(low) < 41
    page.select_option("select[name=concern]", "")
    page.select_option("select[name=topic]", "Security")
    assert visible_rows(page) == ["res-50", "res-52", "res-58"]
    page.select_option("select[name=topic]", "")
    page.fill("input[name=text]", "ipv6")
    assert "res-64" in visible_rows(page) and len(visible_rows(page)) < 10
    page.fill("input[name=text]", "")
    assert visible_rows(page) == every


def test_without_scripts_the_whole_matrix_is_there(browser, shipped_page):
    page, _ = opened(browser, shipped_page, scripts=False)
    assert len(visible_rows(page)) == 41
    assert page.is_hidden("#filters")  # a form that would not work is not shown
    assert page.is_visible("#res-64")


def test_a_phone_gets_one_card_per_resolution_and_no_sideways_scrolling(browser, shipped_page):
    page, _ = opened(browser, shipped_page, width=390, height=844)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    row = page.query_selector("#res-64")
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    box = row.bounding_box()
    assert box["width"] <= 390 and box["height"] > 300  # the cells stacked, one under another
    label = page.query_selector("#res-64 td[data-region=ASMG]")  # each card names the group
    assert label.evaluate("c => getComputedStyle(c, '::before').content") == (
        '"ASMG (Arab Spectrum Management Group)"'
    )


def test_an_anchor_per_resolution(browser, shipped_page):
    page, _ = opened(browser, shipped_page)
    page.goto(shipped_page.as_uri() + "#res-new-ai")
    assert page.evaluate("document.querySelector(':target').id") == "res-new-ai"
    assert page.get_attribute("#res-new-ai th a", "href") == "#res-new-ai"


def test_no_wcag_21_a_or_aa_violation(browser, shipped_page):
    from axe_playwright_python.sync_playwright import Axe

    for width in (1400, 390):
        page, _ = opened(browser, shipped_page, width=width, height=900)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        assert results.violations_count == 0, results.generate_report()


def test_a_summary_that_is_markup_shows_as_text_and_runs_nothing(
    browser, inputs, tmp_path, monkeypatch, capsys, validating
):
    write_region(inputs, "APT", [[64, "MOD", "Doc 1", "<script>alert(1)</script>", "Low", ""]])
    path = publish(inputs, tmp_path, monkeypatch, capsys)
    page, _ = opened(browser, path)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.reload()
    assert dialogs == []
    assert "<script>alert(1)</script>" in page.text_content("#res-64 td[data-region=APT]")
