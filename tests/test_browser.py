"""Real-browser tests: Debian's chromium driven by Playwright. Screenshots go to test-artifacts/screenshots/."""

import shutil
from pathlib import Path

import pytest

SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def page(server):
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run the test command from the README (tests/run.sh)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.console_errors = []
        page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
        yield page
        browser.close()


def test_home_shows_the_dataset_at_a_glance(page, server):
    page.goto(server + "/")
    assert page.locator("h1").inner_text().startswith("Gender persecution jurisprudence")
    assert page.locator("svg.chart rect").count() > 10
    assert page.get_by_role("table").first.is_visible()
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)


def test_search_from_the_header(page, server):
    page.goto(server + "/")
    page.get_by_label("Search decisions, cases, courts and concepts").fill("forced marriage")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=forced+marriage")
    assert page.locator("ol.results li").count() >= 3
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)


def test_follow_a_facet(page, server):
    page.goto(server + "/browse")
    total = int(page.locator("#results").inner_text().split()[0])
    page.locator("fieldset", has_text="Level").get_by_label("domestic").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/browse?*level=*")
    filtered = int(page.locator("#results").inner_text().split()[0])
    assert 0 < filtered < total
    page.screenshot(path=str(SHOTS / "browse-domestic.png"), full_page=True)


def test_decision_page_shows_its_charges_table(page, server):
    page.goto(server + "/id/icc-al-hassan-trial-judgment")
    table = page.locator("table.charges")
    assert table.is_visible()
    row = table.locator("tr", has_text="Count 13")
    assert "not established: gender" in row.inner_text() and "established: religious" in row.inner_text()
    page.screenshot(path=str(SHOTS / "decision-al-hassan-trial.png"), full_page=True)


def test_run_an_example_query_in_yasgui(page, server):
    page.goto(server + "/query")
    page.wait_for_selector(".yasqe_queryButton", timeout=20000)
    page.locator(".yasqe_queryButton").first.click()
    page.wait_for_selector(".yasr table tbody tr", timeout=20000)
    assert page.locator(".yasr table tbody tr").count() >= 1
    page.screenshot(path=str(SHOTS / "yasgui-example.png"), full_page=True)


def test_no_console_errors_or_csp_violations(page):
    assert [e for e in page.console_errors if "favicon" not in e] == []
