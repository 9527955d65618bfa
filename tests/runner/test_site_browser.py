"""The HTML report opened in headless Chromium: every image loads, every local link resolves, no
script error, and nothing is fetched from the network. A team-only build shows its warning at the
top of every page; the shareable site of a run folder shows only what is in ``shareable/``.

``check_site`` is also used by tests/runner/test_collection.py on the site of the real full run. The
browser is Debian's ``chromium`` + ``chromium-driver`` (``.ci/run`` installs them); the tests skip
when either, or the ``selenium`` package, is missing.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from wave_analysis.runner.site import STYLE, build_shareable_site, build_site

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage",
         # any network fetch fails (and is logged as an error) instead of reaching the internet
         "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>")

_IMAGES = """return Array.from(document.images).filter(
    i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src'));"""
_LINKS = """return Array.from(document.querySelectorAll('a[href]')).map(
    a => a.getAttribute('href'));"""
_REMOTE = """return Array.from(document.querySelectorAll('[src], link[href]')).map(
    e => e.getAttribute('src') || e.getAttribute('href')).filter(
    u => /^(https?:)?\\/\\//.test(u));"""


def browser():
    """A headless Chromium driven by selenium, or ``pytest.skip``."""
    if not (CHROMIUM and DRIVER):
        pytest.skip("chromium and chromium-driver are not installed (.ci/run installs them)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='wave-chromium-')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=options)


def check_site(driver, index: Path, *, seen: set | None = None) -> list[str]:
    """Open ``index`` and every local page it links to; return one line per problem. ``seen``
    collects the pages visited."""
    problems, queue, seen = [], [Path(index).resolve()], set() if seen is None else seen
    while queue:
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        driver.get(page.as_uri())
        driver.execute_script("return document.readyState")
        name = page.name
        for entry in driver.get_log("browser"):
            if entry["level"] == "SEVERE":
                problems.append(f"{name}: console error: {entry['message']}")
        problems += [f"{name}: image does not load: {src}"
                     for src in driver.execute_script(_IMAGES)]
        problems += [f"{name}: fetches from the network: {url}"
                     for url in driver.execute_script(_REMOTE)]
        for href in driver.execute_script(_LINKS):
            url = urlparse(href)
            if url.scheme in ("http", "https", "mailto") or href.startswith("#"):
                continue  # navigation away from the report, not a fetch
            target = (page.parent / unquote(url.path)).resolve()
            if not target.is_file():
                problems.append(f"{name}: broken link: {href}")
            elif target.suffix == ".html":
                queue.append(target)
    return problems


@pytest.fixture(scope="module")
def driver():
    drv = browser()
    yield drv
    drv.quit()


def _png() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [1, 0])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


@pytest.fixture()
def site(tmp_path):
    """A report built by build_site from a hand-made manifest and executed notebook."""
    png = _png()
    figures, executed = tmp_path / "figures", tmp_path / "reports" / "notebooks"
    figures.mkdir()
    executed.mkdir(parents=True)
    (figures / "10_curve.png").write_bytes(png)
    (figures / "10_curve.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 10 Curve\n\n$x^2$ and a "
                                              "[paper](https://doi.org/10.1000/1)"),
                nbformat.v4.new_code_cell("plot()", outputs=[nbformat.v4.new_output(
                    "display_data", data={"image/png": base64.b64encode(png).decode(),
                                          "text/plain": "<Figure>"})])]
    nbformat.write(nb, executed / "10_curve.ipynb")
    manifest = {"notebooks": {"10_curve": {
        "status": "executed", "seconds": 1.5, "key": "ab" * 32, "parameters": {"n": 1},
        "outputs": {(figures / "10_curve.png").as_posix(): "x"}}}, "python": "3.11",
        "packages": {"pandas": "2.3"}}
    (tmp_path / "reports" / "manifest.json").write_text(json.dumps(manifest))
    return build_site(reports_dir=tmp_path / "reports")


def test_report_pages_are_offline_and_hide_code_by_default(site):
    index = site.read_text()
    page = (site.parent / "10_curve.html").read_text()
    assert 'src="figures/10_curve.png"' in index and 'href="10_curve.html"' in index
    assert 'href="manifest.json"' in index and (site.parent / "manifest.json").is_file()
    assert 'id="show-code"' in page and "#show-code:not(:checked)" in STYLE
    for html_text in (index, page):
        assert "<script" not in html_text
        assert 'src="http' not in html_text and 'href="http' not in html_text.replace(
            'href="https://doi.org', "")


def test_site_passes_the_browser_check(driver, site):
    assert check_site(driver, site) == []


def test_browser_check_catches_a_missing_image(driver, site):
    (site.parent / "figures" / "10_curve.png").unlink()
    assert any("image does not load: figures/10_curve.png" in p
               for p in check_site(driver, site))


def test_browser_check_catches_a_broken_link_a_script_error_and_a_fetch(driver, site):
    page = site.parent / "10_curve.html"
    page.write_text(page.read_text().replace(
        "</main>", '<a href="nowhere.html">x</a><script>no_such_function();</script>'
                   '<img src="https://example.org/a.png"></main>'))
    problems = check_site(driver, site)
    assert any("10_curve.html: broken link: nowhere.html" in p for p in problems)
    assert any("console error" in p and "no_such_function" in p for p in problems)
    assert any("fetches from the network: https://example.org/a.png" in p for p in problems)


def test_pages_are_rendered_again_only_when_their_notebook_changed(site):
    page = site.parent / "10_curve.html"
    page.write_text(page.read_text() + "<!-- marker -->")
    build_site(reports_dir=site.parent.parent)
    assert page.read_text().endswith("<!-- marker -->"), "unchanged notebook: page kept"
    nb_path = site.parent.parent / "notebooks" / "10_curve.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[0].source = "# 10 Curve, revised"
    nbformat.write(nb, nb_path)
    build_site(reports_dir=site.parent.parent)
    assert "marker" not in page.read_text() and "10 Curve, revised" in page.read_text()


# ----------------------------------------------------------------------------- team-only build

BANNER = ("TEAM ONLY: this report holds participant-level outputs of /srv/export (real data); "
          "do not share it")


def banner_problems(driver, index: Path, text: str) -> list[str]:
    """What a reader of each page of the site misses of the team-only warning: the banner must
    be displayed, say ``text``, and sit above everything else on the page."""
    from selenium.webdriver.common.by import By

    pages: set[Path] = set()
    problems = check_site(driver, index, seen=pages)
    for page in sorted(pages):
        driver.get(page.as_uri())
        found = driver.find_elements(By.ID, "team-only")
        if not found:
            problems.append(f"{page.name}: no team-only banner")
            continue
        banner = found[0]
        if not banner.is_displayed():
            problems.append(f"{page.name}: the team-only banner is not displayed")
        elif banner.text != text:
            problems.append(f"{page.name}: the banner says {banner.text!r}")
        first = driver.execute_script(
            "return Array.from(document.body.querySelectorAll('*')).find("
            "e => e.offsetParent !== null || e === arguments[0])", banner)
        if first is None or first.id != banner.id or banner.location["y"] > 50:
            problems.append(f"{page.name}: the team-only banner is not at the top")
    return problems


@pytest.fixture()
def team_site(site):
    """The same report built as a run folder's team-only site."""
    return build_site(reports_dir=site.parent.parent, banner=BANNER)


def test_every_page_of_a_team_only_build_shows_the_warning_at_the_top(driver, team_site):
    assert {p.name for p in team_site.parent.glob("*.html")} == {"index.html", "10_curve.html"}
    assert banner_problems(driver, team_site, BANNER) == []


def test_the_banner_check_catches_a_missing_hidden_or_buried_warning(driver, site, team_site):
    page = team_site.parent / "10_curve.html"
    text = page.read_text()
    start, end = text.index('<div class="team-only"'), text.index("</div>") + len("</div>")
    page.write_text(text[:start] + text[end:].replace("</main>", "</main>" + text[start:end]))
    assert banner_problems(driver, team_site, BANNER) == [
        "10_curve.html: the team-only banner is not at the top"]
    style = team_site.parent / "style.css"
    style.write_text(style.read_text() + "\n.team-only { display: none; }\n")
    problems = banner_problems(driver, team_site, BANNER)
    assert "index.html: the team-only banner is not displayed" in problems
    assert "10_curve.html: the team-only banner is not displayed" in problems
    page.write_text(text)
    plain = build_site(reports_dir=site.parent.parent)  # the same site without the banner
    assert banner_problems(driver, plain, BANNER) == ["10_curve.html: no team-only banner",
                                                      "index.html: no team-only banner"]


# ----------------------------------------------------------------------------- shareable site

PARTICIPANT = "SYN-P0042"


@pytest.fixture()
def run_folder(tmp_path):
    """A run folder: participant-level and aggregate outputs in team_only/, only the aggregate
    ones in shareable/, a disclosure summary, and the manifest saying which data was used."""
    png = _png()
    run = tmp_path / "runs" / "export-1234abcd"
    team, shared = run / "team_only", run / "shareable"
    for folder in (team / "figures", team / "tables", shared / "figures", shared / "tables",
                   run / "disclosure"):
        folder.mkdir(parents=True)
    (team / "figures" / "07_case_matrix.png").write_bytes(png)
    (team / "tables" / "07_case_matrix.csv").write_text(f"participant_id,days\n{PARTICIPANT},3\n")
    for folder in (team, shared):
        (folder / "figures" / "03_forest_irr.png").write_bytes(png)
        (folder / "figures" / "03_forest_irr.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg"/>')
        (folder / "tables" / "03_effects.csv").write_text("arm,n\ncontrol,65\n")
    (shared / "tables" / ".artefacts").mkdir()
    (shared / "tables" / ".artefacts" / "03_effects.csv.json").write_text("{}")
    (run / "disclosure" / "summary.md").write_text(
        "# Disclosure control\n\n| status | artefacts |\n|---|---|\n| pass | 2 |\n| fail | 2 |\n")
    (run / "manifest.json").write_text(json.dumps({"notebooks": {}, "run": {
        "kind": "run folder", "name": run.name, "data": {
            "folder": "/srv/export", "digest": "cd" * 32, "synthetic": False,
            "reason": "no dataset.json", "description": "/srv/export (real data)"}}}))
    return run


def test_the_shareable_site_shows_only_shareable_outputs_and_no_notebook(driver, run_folder):
    index = build_shareable_site(run_folder / "shareable", reports_dir=run_folder,
                                 disclosure_dir=run_folder / "disclosure")
    pages: set[Path] = set()
    assert check_site(driver, index, seen=pages) == []
    assert pages == {index.resolve()}, "no notebook pages"
    from selenium.webdriver.common.by import By

    driver.get(index.as_uri())
    text = driver.find_element(By.TAG_NAME, "body").text
    assert "Data used: /srv/export (real data)" in text
    assert "only the outputs that passed disclosure control" in text
    assert "TEAM ONLY" not in text and PARTICIPANT not in text
    assert [row.text for row in driver.find_elements(By.CSS_SELECTOR, "table tr")] == [
        "status artefacts", "pass 2", "fail 2"], "the disclosure summary, rendered"
    shown = sorted(Path(img.get_attribute("src")).name
                   for img in driver.find_elements(By.TAG_NAME, "img") if img.is_displayed())
    assert shown == ["03_forest_irr.png"]
    linked = sorted(Path(a.get_attribute("href")).name
                    for a in driver.find_elements(By.CSS_SELECTOR, "main a"))
    assert linked == ["03_effects.csv", "03_forest_irr.png", "03_forest_irr.svg"]
    files = sorted(p.relative_to(index.parent).as_posix()
                   for p in index.parent.rglob("*") if p.is_file())
    assert files == ["figures/03_forest_irr.png", "figures/03_forest_irr.svg", "index.html",
                     "style.css", "tables/03_effects.csv"]
    for path in index.parent.rglob("*"):
        assert not path.is_file() or PARTICIPANT.encode() not in path.read_bytes()


def test_the_shareable_site_drops_what_left_shareable(run_folder):
    shared = run_folder / "shareable"
    index = build_shareable_site(shared, reports_dir=run_folder)
    assert "No disclosure summary was found" in index.read_text()
    (shared / "tables" / "03_effects.csv").unlink()
    (shared / "figures" / "03_forest_irr.png").unlink()
    index = build_shareable_site(shared, reports_dir=run_folder)
    assert not (index.parent / "tables" / "03_effects.csv").exists()
    assert not (index.parent / "figures" / "03_forest_irr.png").exists()
    assert "No table has passed disclosure control." in index.read_text()
    assert "No figure has passed disclosure control." in index.read_text()
