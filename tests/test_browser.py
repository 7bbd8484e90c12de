"""The public web page in a real browser: Chromium (Debian's), driven by Playwright.

Run by `make test` where Chromium is installed, and by `make test-browser`, which insists.
"""

from __future__ import annotations

import contextlib
import io

import pytest

from conftest import CHROMIUM, SHIPPED_INPUTS, write_region
from pipeline.build import load
from pipeline.cli import main
from pipeline.editions.web import anchor
from pipeline.settings import Settings
from pipeline.words.frames import KEY
from pipeline.words.vocab import PRIORITY_CODES, Concern

pytestmark = pytest.mark.browser
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
HIGHEST_FIRST = [c.code for c in Concern.highest_first()]


LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: The phone page's height before cards listed only the groups with proposals, measured at
#: 390x844 in this Chromium on the page published from the shipped inputs (commit 6366882):
#: 39,876 px. The issue asked for a third of it or less.
PHONE_HEIGHT_BEFORE = 39_876


def publish(inputs, folder, monkeypatch):
    monkeypatch.chdir(folder)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1728864000")
    for command in ("release", "publish"):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            status = main([command, "--inputs", str(inputs)])
        assert status == 0, err.getvalue()
    return folder / "outputs" / "WTSA-24" / "publish" / "WTSA-24_Issues_Matrix_v1" / "index.html"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def shipped_page(shipped_release):
    """The shipped release's web page, for every test here: they only read it (each in a
    browser context of its own)."""
    return shipped_release.editions / "index.html"


def opened(browser, path, width=1280, height=900, scripts=True, fragment=""):
    """The page, and every request it made."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=scripts
    )
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri() + fragment)
    return page, requests


def visible_rows(page) -> list[str]:
    return page.eval_on_selector_all(
        "#matrix tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.id)"
    )


def box(page, selector: str) -> dict:
    """Where an element is in the window, in CSS pixels."""
    return page.eval_on_selector(selector, "e => e.getBoundingClientRect().toJSON()")


def scroll(page, x: int, y: int) -> None:
    page.evaluate(f"window.scrollTo({x}, {y})")
    page.wait_for_function(f"window.scrollX === {x} && window.scrollY === {y}")


def table_top(page) -> int:
    return page_top(page, "#matrix")


def page_top(page, selector: str) -> int:
    """How far down the page an element begins."""
    return round(page.eval_on_selector(selector, "e => e.getBoundingClientRect().top + scrollY"))


def catalogue_anchors() -> list[str]:
    """The shipped catalogue's resolutions, in its order, as the page's anchors."""
    return [anchor(key) for key in load(Settings(inputs=SHIPPED_INPUTS)).catalogue[KEY]]


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
        "rows => rows.filter(r => r.dataset.submitters.split(' ').includes('CITEL'))"
        ".map(r => r.id)",
    )
    page.select_option("select[name=submitter]", "CITEL")
    assert visible_rows(page) == region_rows and 0 < len(region_rows) < 41
    page.select_option("select[name=concern]", "Low")  # CITEL's concern, then
    citel_low = page.eval_on_selector_all(
        "#matrix tbody tr td[data-submitter=CITEL].c-low",
        "cells => cells.map(c => c.parentNode.id)",
    )
    assert visible_rows(page) == citel_low and citel_low
    assert page.text_content("#shown") == f"Showing {len(citel_low)} of 41 resolutions."
    page.select_option("select[name=submitter]", "")  # the overall concern
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
    page, _ = opened(browser, shipped_page, **PHONE)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    row = page.query_selector("#res-64")
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    box = row.bounding_box()
    assert box["width"] <= 390 and box["height"] > 300  # the cells stacked, one under another
    label = page.query_selector("#res-64 td[data-submitter=ASMG]")  # each card names the group:
    before = "c => getComputedStyle(c, '::before').content"
    assert label.evaluate(before) == '"ASMG"'  # by its code while the card is brief,
    page.click("#res-64 .more")
    assert label.evaluate(before) == '"ASMG (Arab Spectrum Management Group)"'  # and its name


def test_an_anchor_per_resolution(browser, shipped_page):
    page, _ = opened(browser, shipped_page)
    page.goto(shipped_page.as_uri() + "#res-new-ai")
    assert page.evaluate("document.querySelector(':target').id") == "res-new-ai"
    assert page.get_attribute("#res-new-ai th a", "href") == "#res-new-ai"


# A laptop --------------------------------------------------------------------------------


def test_the_header_row_stays_at_the_top_of_the_window_while_scrolling_down(browser, shipped_page):
    page, _ = opened(browser, shipped_page, **LAPTOP)
    first = box(page, "#matrix thead")
    assert first["top"] > 300  # below the introduction, at first
    for down in (2000, 5000):
        scroll(page, 0, table_top(page) + down)
        head = box(page, "#matrix thead")
        assert abs(head["top"]) < 1 and head["height"] == first["height"]
        assert box(page, "#matrix")["top"] < -down + 100  # the table began far above
        # drawn over the rows that scroll under it
        assert page.evaluate("document.elementFromPoint(600, 10).closest('thead') !== null")


def test_the_resolution_column_stays_at_the_left_while_scrolling_sideways(browser, shipped_page):
    page, _ = opened(browser, shipped_page, **LAPTOP)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width > 1280  # the table is wider than a laptop's window...
    y = page_top(page, "#res-64") - 300
    scroll(page, 0, y)
    before = box(page, "#res-64 th"), box(page, "#res-64 td[data-submitter=RCC]")
    scroll(page, width - 1280, y)  # ...and the window itself scrolls sideways, so its
    # scrollbar is on screen wherever one is in the table (no box of its own at the bottom)
    after = box(page, "#res-64 th"), box(page, "#res-64 td[data-submitter=RCC]")
    assert after[1]["left"] == pytest.approx(before[1]["left"] - (width - 1280), abs=1)
    assert abs(after[0]["left"]) < 1 and after[0]["width"] == before[0]["width"]
    corner, head = box(page, "#matrix thead tr:last-child th:first-child"), box(page, "thead")
    assert abs(corner["left"]) < 1 and abs(head["top"]) < 1  # "Resolution", over it
    assert head["top"] <= corner["top"] < corner["bottom"] == pytest.approx(head["bottom"])
    covered = page.evaluate(
        f"document.elementFromPoint({after[0]['width'] / 2}, {after[0]['top'] + 5}).closest('th')"
        "?.textContent"
    )
    assert covered.startswith("Res. 64")  # drawn over the cells that scroll under it


def test_the_overall_concern_is_beside_the_resolution_without_scrolling_sideways(
    browser, shipped_page
):
    page, _ = opened(browser, shipped_page, **LAPTOP)
    headers = page.eval_on_selector_all(
        "#matrix thead tr:last-child th", "cells => cells.map(c => c.textContent.trim())"
    )
    assert headers[:2] == ["Resolution", "Overall concern"]
    overall = box(page, "#matrix thead tr:last-child th:nth-child(2)")
    assert page.evaluate("window.scrollX") == 0 and 0 < overall["left"] < overall["right"] <= 1280
    cell = box(page, "#res-64 td.overall")
    assert cell["left"] == pytest.approx(overall["left"], abs=1) and cell["right"] <= 1280
    assert page.text_content("#res-64 td.overall") == "High concern"


@pytest.mark.parametrize("scripts", [True, False])
def test_a_link_to_a_row_shows_it_just_below_the_header_row(browser, shipped_page, scripts):
    page, _ = opened(browser, shipped_page, **LAPTOP, scripts=scripts, fragment="#res-64")
    head, row = box(page, "#matrix thead"), box(page, "#res-64")
    assert abs(head["top"]) < 1
    assert head["bottom"] <= row["top"] + 1 and row["top"] < head["bottom"] + 80  # not under
    assert page.evaluate("window.scrollX") == 0
    if scripts:  # the script measures the header row: the row is right under it
        assert row["top"] == pytest.approx(head["bottom"], abs=2)
        page.evaluate("location.hash = '#res-75'")  # a link on the page, followed
        page.wait_for_function(
            "document.getElementById('res-75').getBoundingClientRect().top < 900"
        )
        head, row = box(page, "#matrix thead"), box(page, "#res-75")
        assert row["top"] == pytest.approx(head["bottom"], abs=2)


def test_ordering_by_concern_and_by_priority_and_back(browser, shipped_page):
    page, _ = opened(browser, shipped_page, **LAPTOP)
    catalogue = visible_rows(page)
    assert catalogue == catalogue_anchors()
    high = page.eval_on_selector_all(
        "#matrix tbody td.overall.c-high", "cells => cells.map(c => c.parentNode.id)"
    )
    assert 0 < len(high) < 41

    def shown(attribute):
        return page.eval_on_selector_all(
            "#matrix tbody tr", f"rows => rows.map(r => [r.id, r.getAttribute('{attribute}')])"
        )

    page.select_option("select[name=order]", "concern")
    order = shown("data-concern")
    assert [key for key, _ in order[: len(high)]] == high  # High first, in catalogue order
    ranks = {code: rank for rank, code in enumerate([*HIGHEST_FIRST, ""])}
    assert [ranks[c] for _, c in order] == sorted(ranks[c] for _, c in order)
    assert sorted(key for key, _ in order) == sorted(catalogue)  # every row, once
    assert page.text_content("#shown") == (
        "Showing all 41 resolutions, overall concern, highest first."
    )
    page.select_option("select[name=concern]", "Medium")  # a filter keeps the order
    assert page.text_content("#shown").endswith(", overall concern, highest first.")

    page.select_option("select[name=concern]", "")
    page.select_option("select[name=order]", "priority")
    order = shown("data-priority")
    ranks = {code: rank for rank, code in enumerate([*PRIORITY_CODES, ""])}
    assert [ranks[p] for _, p in order] == sorted(ranks[p] for _, p in order)
    assert order[0][1] == "High" and order[-1][1] != "High"
    first_high = [key for key, p in order if p == "High"]
    assert first_high == [key for key in catalogue if key in first_high]  # ties: catalogue's

    page.select_option("select[name=order]", "")
    assert visible_rows(page) == catalogue


def test_without_scripts_the_rows_keep_the_catalogues_order(browser, shipped_page):
    page, _ = opened(browser, shipped_page, **LAPTOP, scripts=False)
    assert visible_rows(page) == catalogue_anchors()


# A phone ---------------------------------------------------------------------------------


def test_a_phone_page_is_a_third_of_its_height_before_or_less(browser, shipped_page):
    page, _ = opened(browser, shipped_page, **PHONE)
    height = page.evaluate("document.scrollingElement.scrollHeight")
    assert height <= PHONE_HEIGHT_BEFORE / 3, height


@pytest.mark.parametrize("scripts", [True, False])
def test_a_phone_card_shows_the_overall_concern_first_then_only_the_groups_that_propose(
    browser, shipped_page, scripts
):
    page, _ = opened(browser, shipped_page, **PHONE, scripts=scripts)
    cards = page.eval_on_selector_all(
        "#matrix tbody tr",
        """rows => rows.map(r => ({
            id: r.id,
            proposing: r.dataset.submitters ? r.dataset.submitters.split(' ') : [],
            shown: [...r.querySelectorAll('td')].filter(c => c.offsetHeight > 0)
                .map(c => c.dataset.submitter || c.dataset.label),
            hidden_text: [...r.querySelectorAll('td:not(.analysis)')]
                .filter(c => c.offsetHeight === 0).map(c => c.textContent.trim()).join(''),
        }))""",
    )
    regions = page.eval_on_selector_all(
        "select[name=submitter] option", "options => options.map(o => o.value).filter(Boolean)"
    )
    assert len(cards) == 41
    for card in cards:
        assert card["shown"][0] == "Overall concern", card
        groups = [label for label in card["shown"] if label in regions]
        assert groups == card["proposing"], card  # "No proposal" is never spelled out
        assert card["hidden_text"] == "", card  # only empty cells are left out
    res64 = next(card for card in cards if card["id"] == "res-64")
    assert len(res64["proposing"]) == 7 and "B" not in res64["proposing"]
    no_one = [card for card in cards if not card["proposing"]]
    assert no_one and all(card["shown"][0] == "Overall concern" for card in no_one)
    analysis = page.eval_on_selector_all(
        "#matrix tbody td[data-label='ISOC analysis']",
        "cells => cells.map(c => [c.textContent.trim() !== '', c.offsetHeight > 0])",
    )
    assert any(text for text, _ in analysis) and any(not text for text, _ in analysis)
    assert all(text or not shown for text, shown in analysis)  # no empty "ISOC analysis"
    if not scripts:  # (with them, a card's analysis is among its details)
        assert all(text == shown for text, shown in analysis)


def test_a_phone_card_opens_in_full_with_its_details_button(browser, shipped_page):
    page, _ = opened(browser, shipped_page, **PHONE)
    summary = "#res-64 td[data-submitter=APT] .summary"
    button = page.get_by_role("button", name="Details of Res. 64")
    assert page.is_hidden(summary) and button.get_attribute("aria-expanded") == "false"
    assert page.is_visible("#res-64 td[data-submitter=APT] strong")  # who proposes what, at once
    before = box(page, "#res-64")["height"]
    button.click()
    assert page.is_visible(summary) and button.get_attribute("aria-expanded") == "true"
    assert page.is_visible("#res-64 td[data-label='ISOC analysis']")
    assert box(page, "#res-64")["height"] > before + 200
    button.click()
    assert page.is_hidden(summary)
    page.fill("input[name=text]", "capacity building")  # a search shows what it found
    assert page.is_visible(summary)


def test_without_scripts_a_phone_shows_every_card_in_full(browser, shipped_page):
    page, _ = opened(browser, shipped_page, **PHONE, scripts=False)
    hidden = page.eval_on_selector_all(
        "#matrix tbody :is(.summary, .doc, .signed, .result)",
        "parts => parts.filter(p => p.offsetHeight === 0).length",
    )
    parts = page.eval_on_selector_all(
        "#matrix tbody :is(.summary, .doc, .signed, .result)", "parts => parts.length"
    )
    assert parts > 100 and hidden == 0
    assert page.query_selector("button.more") is None


def test_a_phone_link_to_a_row_opens_it_in_full(browser, shipped_page):
    page, _ = opened(browser, shipped_page, **PHONE, fragment="#res-64")
    assert page.is_visible("#res-64 td[data-submitter=APT] .summary")
    assert abs(box(page, "#res-64")["top"]) < 2
    assert page.is_hidden("#res-65 .summary, #res-2 td[data-submitter=APT] .summary")


@pytest.mark.parametrize(("width", "height", "fragment"), [
    (1280, 900, ""), (390, 844, ""), (390, 844, "#res-64"),
])  # fmt: skip
def test_no_wcag_21_a_or_aa_violation(browser, shipped_page, width, height, fragment):
    from axe_playwright_python.sync_playwright import Axe

    page, _ = opened(browser, shipped_page, width=width, height=height, fragment=fragment)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    assert results.violations_count == 0, results.generate_report()


def test_a_summary_that_is_markup_shows_as_text_and_runs_nothing(
    browser, inputs, tmp_path, monkeypatch, validating
):
    write_region(inputs, "APT", [[64, "MOD", "Doc 1", "<script>alert(1)</script>", "Low", ""]])
    path = publish(inputs, tmp_path, monkeypatch)
    page, _ = opened(browser, path)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.reload()
    assert dialogs == []
    assert "<script>alert(1)</script>" in page.text_content("#res-64 td[data-submitter=APT]")
