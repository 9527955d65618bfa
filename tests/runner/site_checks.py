"""What a reader of the HTML report sees, checked in headless Chromium (selenium).

Each check opens pages and returns one line per problem, so a test asserts ``== []`` on a good
site and, on a site broken on purpose, that the problem is reported. Used by test_site_browser.py
(hand-made sites) and test_collection.py (the site of the real full run).

The browser is Debian's ``chromium`` + ``chromium-driver`` (``.ci/run`` installs them); ``browser``
skips the test when either, or the ``selenium`` package, is missing.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
WIDTH = 1400  # the window the pages must fit
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", f"--window-size={WIDTH},1000",
         # any network fetch fails (and is logged as an error) instead of reaching the internet
         "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>")

_IMAGES = """return Array.from(document.images).filter(
    i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src'));"""
_LINKS = """return Array.from(document.querySelectorAll('a[href]')).map(
    a => a.getAttribute('href'));"""
_REMOTE = """return Array.from(document.querySelectorAll('[src], link[href]')).map(
    e => e.getAttribute('src') || e.getAttribute('href')).filter(
    u => /^(https?:)?\\/\\//.test(u));"""
_IDS = "return Array.from(document.querySelectorAll('[id]')).map(e => e.id);"
# visible: rendered (not display:none up the tree, not visibility:hidden) and taking room
_VISIBLE = """return Array.from(document.querySelectorAll(arguments[0])).map(e => {
    const box = e.getBoundingClientRect();
    return getComputedStyle(e).visibility !== 'hidden' && box.width > 0 && box.height > 0;});"""
_PROMPTS = ".code_cell .input_prompt, .output_prompt"  # In [n]: / Out[n]: (not empty ones)
_OVERFLOW = ("return [document.documentElement.scrollWidth, window.innerWidth, "
             "document.body.scrollWidth];")


def browser():
    """A headless Chromium driven by selenium, its window 1,400 px wide, or ``pytest.skip``."""
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
    """Open ``index`` and every local page it links to; return one line per problem: a console
    error, an image that does not load, a fetch from the network, a link to a missing file or to
    a missing ``#anchor``. ``seen`` collects the pages visited."""
    problems, queue, seen = [], [Path(index).resolve()], set() if seen is None else seen
    ids: dict[Path, set[str]] = {}
    anchors: list[tuple[str, Path, str, str]] = []  # (page, target, fragment, href)
    while queue:
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        driver.get(page.as_uri())
        name = _name(page, index)
        for entry in driver.get_log("browser"):
            if entry["level"] == "SEVERE":
                problems.append(f"{name}: console error: {entry['message']}")
        problems += [f"{name}: image does not load: {src}"
                     for src in driver.execute_script(_IMAGES)]
        problems += [f"{name}: fetches from the network: {url}"
                     for url in driver.execute_script(_REMOTE)]
        ids[page] = set(driver.execute_script(_IDS))
        for href in driver.execute_script(_LINKS):
            url = urlparse(href)
            if url.scheme in ("http", "https", "mailto"):
                continue  # navigation away from the report, not a fetch
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            if not target.is_file():
                problems.append(f"{name}: broken link: {href}")
                continue
            if url.fragment:
                anchors.append((name, target, unquote(url.fragment), href))
            if target.suffix == ".html":
                queue.append(target)
    problems += [f"{name}: link to a missing anchor: {href}"
                 for name, target, fragment, href in anchors
                 if target in ids and fragment not in ids[target]]
    return problems


def _name(page: Path, index: Path) -> str:
    """A page's path relative to the site's top folder, for messages."""
    try:
        return Path(page).resolve().relative_to(Path(index).resolve().parent).as_posix()
    except ValueError:
        return Path(page).name


def overflow_problems(driver, pages) -> list[str]:
    """Pages wider than the 1,400 px window (with the code hidden, and shown where it can be)."""
    problems = []
    for page in sorted(pages):
        driver.get(Path(page).as_uri())
        states = [("", None)]
        if driver.find_elements("id", "show-code-label"):
            states.append((" with the code shown", "show-code-label"))
        for label, toggle in states:
            if toggle:
                driver.find_element("id", toggle).click()
            scroll, inner, body = driver.execute_script(_OVERFLOW)
            if scroll > inner or body > inner:
                problems.append(f"{Path(page).name}: page {max(scroll, body)} px wide in a "
                                f"{inner} px window{label}")
    return problems


def _visible(driver, selector: str) -> list[bool]:
    return driver.execute_script(_VISIBLE, selector)


def code_toggle_problems(driver, page: Path) -> list[str]:
    """A notebook page must hide every code cell and In/Out prompt until "Show code" is clicked,
    then show them all; clicking again hides them."""
    name, problems = Path(page).name, []
    driver.get(Path(page).as_uri())
    code, prompts = _visible(driver, ".input"), _visible(driver, _PROMPTS)
    if not code:
        return [f"{name}: no code cell on the page"]
    if any(code) or any(prompts):
        problems.append(f"{name}: {sum(code)} code cells and {sum(prompts)} prompts displayed "
                        "before 'Show code' is clicked")
    labels = driver.find_elements("id", "show-code-label")
    if not labels or not labels[0].is_displayed():
        return [*problems, f"{name}: no visible 'Show code' control"]
    labels[0].click()
    code, prompts = _visible(driver, ".input"), _visible(driver, _PROMPTS)
    if not all(code) or not all(prompts):
        problems.append(f"{name}: after 'Show code', {code.count(False)} code cells and "
                        f"{prompts.count(False)} prompts still hidden")
    labels[0].click()
    if any(_visible(driver, ".input")):
        problems.append(f"{name}: clicking again does not hide the code")
    return problems


def parameters_problems(driver, page: Path) -> list[str]:
    """Papermill's injected parameters cell shown as one "Parameters used: ..." line, whether
    the code is shown or not; its code block never shown."""
    name, problems = Path(page).name, []
    driver.get(Path(page).as_uri())
    for state in ("", " with the code shown"):
        if state:
            driver.find_element("id", "show-code-label").click()
        lines = [e for e in driver.find_elements("css selector", ".celltag_parameters-used")
                 if e.is_displayed()]
        if len(lines) != 1:
            problems.append(f"{name}: {len(lines)} 'Parameters used' lines displayed{state}")
        elif not lines[0].text.startswith("Parameters used:") or "\n" in lines[0].text:
            problems.append(f"{name}: the parameters are not one 'Parameters used' line{state}: "
                            f"{lines[0].text!r}")
        if any(_visible(driver, ".celltag_injected-parameters")) or "# Parameters" in (
                driver.find_element("tag name", "body").text):
            problems.append(f"{name}: the injected parameters cell is displayed{state}")
    return problems


def gallery_problems(driver, index: Path) -> list[str]:
    """Every gallery tile shows a title; the image boxes of all tiles have the same size."""
    driver.get(Path(index).as_uri())
    tiles = driver.find_elements("css selector", ".gallery .tile")
    problems = []
    for tile in tiles:
        titles = tile.find_elements("css selector", ".tile-title")
        if not titles or not titles[0].is_displayed() or not titles[0].text.strip():
            problems.append(f"tile {tile.get_attribute('id')}: no visible title")
    sizes = {(round(t.find_element("css selector", ".thumb").size["width"]),
              round(t.find_element("css selector", ".thumb").size["height"])) for t in tiles}
    if len(sizes) > 1:
        problems.append(f"tiles of uneven size: {sorted(sizes)}")
    return problems


def figure_page_problems(driver, site: Path) -> list[str]:
    """Every figure page shows its image, a title, and a visible link back to the index."""
    problems = []
    for page in sorted((Path(site) / "figures").glob("*.html")):
        driver.get(page.as_uri())
        back = [a for a in driver.find_elements("css selector", "main a")
                if a.is_displayed() and Path(urlparse(a.get_attribute("href")).path).resolve()
                == (Path(site) / "index.html").resolve()]
        if not back:
            problems.append(f"figures/{page.name}: no visible link back to the index")
        if not driver.find_elements("css selector", "main h1") or not driver.find_elements(
                "css selector", "main figure img"):
            problems.append(f"figures/{page.name}: no title or no image")
    return problems


def reader_problems(driver, index: Path) -> list[str]:
    """Every check above on a whole site: links, images, errors and fetches on every page;
    width of every page; the code toggle and the parameters line on every notebook page; the
    gallery; the figure pages."""
    index = Path(index).resolve()
    seen: set[Path] = set()
    problems = check_site(driver, index, seen=seen)
    site = index.parent
    pages = sorted(p for p in seen if p.parent in (site, site / "figures"))
    problems += overflow_problems(driver, pages)
    for page in pages:
        if page.parent == site and page.name != "index.html":
            problems += code_toggle_problems(driver, page) + parameters_problems(driver, page)
    return problems + gallery_problems(driver, index) + figure_page_problems(driver, site)
