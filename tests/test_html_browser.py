"""The ``html`` report of ``examples/`` in a real browser: Debian's headless Chromium, driven by
Playwright. The DOM holds every finding, a filter hides the others, the keyboard reaches and
works the controls, the page loads nothing from outside; a screenshot goes to
``docs/images/html-report.png`` (shown by docs/reports.md).

Skipped only when no Chromium is installed here; CI installs it (``.ci/run``) and sets
``ETHICSLINT_REQUIRE_BROWSER=1``, which turns the skip into a failure.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from ethicslint.cli import run_command

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "docs" / "images" / "html-report.png"
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)

if CHROMIUM is None:
    if os.environ.get("ETHICSLINT_REQUIRE_BROWSER", "") not in ("", "0"):
        raise RuntimeError("ETHICSLINT_REQUIRE_BROWSER is set but no chromium is installed (apt-get install chromium)")
    pytest.skip("no chromium on PATH: install Debian's chromium package to run the browser test",
                allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")  # in the dev extra: CI has it


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """The html report of examples/ and, from the same run's cache, its findings as JSON."""
    out = tmp_path_factory.mktemp("report")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        html_status = run_command(["check", "examples", "--format", "html", "-o", str(out / "report.html"), "-q"],
                                  isolate=False)
        json_status = run_command(["check", "examples", "--format", "json", "-o", str(out / "report.json"), "-q"],
                                  isolate=False)
    finally:
        os.chdir(cwd)
    assert html_status == json_status == 1
    return out / "report.html", json.loads((out / "report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def open_page(browser, report: Path, width: int = 1200):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": 900})
    messages: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report.as_uri())
    return page, messages, requests


def test_every_finding_is_on_the_page_and_nothing_is_loaded_from_outside(browser, reports) -> None:  # type: ignore[no-untyped-def]
    report, findings = reports
    page, messages, requests = open_page(browser, report)
    assert page.locator("article.finding").count() == len(findings) > 0
    codes = Counter(page.locator("article.finding").evaluate_all("(all) => all.map((a) => a.id && "
                                                                 "a.querySelector('code').textContent)"))
    assert codes == Counter(f["code"] for f in findings)
    assert page.locator("section.file h2").count() == len({f["path"] for f in findings})
    assert page.locator("#shown").text_content() == f"Showing {len(findings)} of {len(findings)} findings."
    assert requests == [report.as_uri()] and messages == []  # no fetch, no script error, no CSP violation


def test_unticking_a_checker_by_keyboard_hides_its_findings_and_only_them(browser, reports) -> None:  # type: ignore[no-untyped-def]
    report, findings = reports
    page, messages, _ = open_page(browser, report)
    checker = Counter(f["checker"] for f in findings).most_common(1)[0][0]
    box = page.locator(f'input[name="checker"][value="{checker}"]')
    box.focus()
    page.keyboard.press("Space")
    assert not box.is_checked()
    visible = page.locator("article.finding:visible")
    others = sum(1 for f in findings if f["checker"] != checker)
    assert visible.count() == others
    assert set(visible.evaluate_all("(all) => all.map((a) => a.dataset.checker)")) == \
        {f["checker"] for f in findings} - {checker}
    assert page.locator("#shown").text_content() == f"Showing {others} of {len(findings)} findings."
    hidden_files = {f["path"] for f in findings} - {f["path"] for f in findings if f["checker"] != checker}
    assert page.locator("section.file:visible").count() == len({f["path"] for f in findings}) - len(hidden_files)
    page.keyboard.press("Space")
    assert page.locator("article.finding:visible").count() == len(findings)
    assert messages == []


def test_the_keyboard_reaches_the_skip_link_the_filters_and_the_why(browser, reports) -> None:  # type: ignore[no-untyped-def]
    report, _ = reports
    page, _, _ = open_page(browser, report)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator("a.skip").is_visible()  # shown when focused
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "checker"  # the first filter comes next
    summary = page.locator("article.finding details summary").first
    summary.focus()
    details = page.locator("article.finding details").first
    assert details.evaluate("(d) => d.open") is False
    page.keyboard.press("Enter")
    assert details.evaluate("(d) => d.open") is True
    assert page.locator("article.finding details").first.locator("p").first.is_visible()
    outline = summary.evaluate("(s) => getComputedStyle(s).outlineStyle")
    assert outline == "solid"  # a visible focus ring


def test_on_a_phone_nothing_is_wider_than_the_screen_and_a_screenshot_is_saved(browser, reports) -> None:  # type: ignore[no-untyped-def]
    report, _ = reports
    page, _, _ = open_page(browser, report, width=390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1000, "height": 1100})
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
