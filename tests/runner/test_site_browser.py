"""The HTML report opened in headless Chromium, as a reader sees it: code and prompts hidden until
"Show code" is clicked, papermill's parameters as one line, no page wider than a 1,400 px window,
every gallery tile titled and of even size, figure pages that lead back, every image loading,
every local link and anchor resolving, no script error and nothing fetched from the network. A
team-only build shows its warning at the top of every page; the shareable site of a run folder
shows only what is in ``shareable/``.

Each check (``site_checks``) is shown to fail on a site broken on purpose: a stylesheet rule
removed, a page edited, the parameters left unfolded. The tests skip when Chromium, its driver or
selenium is missing.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
from functools import cache
from pathlib import Path

import nbformat
import pytest
from site_checks import (
    browser,
    check_site,
    code_toggle_problems,
    figure_page_problems,
    gallery_problems,
    overflow_problems,
    parameters_problems,
    reader_problems,
)

from wave_analysis.runner import site_pages
from wave_analysis.runner.site import build_shareable_site, build_site

# a real browser / LibreOffice per module: part of `make test`, not of the one-minute `make quick`
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def driver():
    drv = browser()
    yield drv
    drv.quit()


@cache
def _png(width: float = 2, height: float = 2) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height))
    ax.plot([0, 1], [1, 0])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


WIDE_TABLE = ("<table class='dataframe'><thead><tr>"
              + "".join(f"<th>a_rather_long_column_name_{i}</th>" for i in range(30))
              + "</tr></thead><tbody><tr>"
              + "".join(f"<td>{i}.123456</td>" for i in range(30)) + "</tr></tbody></table>")


def _notebook(png: bytes):
    """An executed notebook as papermill leaves it: defaults cell, injected cell, headings, a
    wide table, a long line of output, a figure."""
    v4 = nbformat.v4
    nb = v4.new_notebook()
    defaults = v4.new_code_cell('n: int = 1  # how many\nlabel: str = "a"  # what to call it',
                                execution_count=1)
    defaults.metadata["tags"] = ["parameters"]
    injected = v4.new_code_cell('# Parameters\nn = 3\nlabel = "a"\n', execution_count=2)
    injected.metadata["tags"] = ["injected-parameters"]
    result = v4.new_code_cell("table", execution_count=3, outputs=[
        v4.new_output("stream", name="stdout", text="x" * 400 + "\n"),
        v4.new_output("execute_result", data={"text/html": WIDE_TABLE, "text/plain": "t"},
                      execution_count=3)])
    figure = v4.new_code_cell("plot()", execution_count=4, outputs=[v4.new_output(
        "display_data", data={"image/png": base64.b64encode(png).decode(),
                              "text/plain": "<Figure>"})])
    nb.cells = [v4.new_markdown_cell("# 10 Curve\n\n$x^2$ and a "
                                     "[paper](https://doi.org/10.1000/1)"),
                defaults, injected, v4.new_markdown_cell("## Results"), result,
                v4.new_markdown_cell("### The figure"), figure,
                v4.new_markdown_cell("## Notes\n\nSee [the results](#Results).")]
    return nb


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A report built by build_site from a hand-made manifest, executed notebook, two figures
    (one with a title and caption in its sidecar, one wide without) and the documents; built
    once (rendering takes a second), each test gets a copy (``site``)."""
    root = tmp_path_factory.mktemp("built")
    figures, reports = root / "figures", root / "reports"
    (figures / ".artefacts").mkdir(parents=True)
    (reports / "notebooks").mkdir(parents=True)
    (figures / "10_curve.png").write_bytes(_png())
    (figures / "10_curve.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (figures / "10_wide_band.png").write_bytes(_png(20, 2))  # 2,000 px wide
    (figures / ".artefacts" / "10_curve.png.json").write_text(json.dumps(
        {"title": "Days absent by arm", "caption": "Mean days absent; synthetic data."}))
    nbformat.write(_notebook(_png()), reports / "notebooks" / "10_curve.ipynb")
    manifest = {"notebooks": {"10_curve": {
        "status": "executed", "seconds": 1.5, "key": "ab" * 32, "parameters": {"n": 3},
        "outputs": {(figures / name).as_posix(): "x"
                    for name in ("10_curve.png", "10_wide_band.png")}}},
        "python": "3.11", "packages": {"pandas": "2.3"},
        "run": {"kind": "canonical", "name": "canonical", "why": "", "folder": ".", "data": {
            "folder": "data/synthetic", "digest": "ef" * 32, "synthetic": True,
            "reason": "every file matches", "description": "data/synthetic (bundled)"}}}
    (reports / "manifest.json").write_text(json.dumps(manifest))
    (reports / "wave_report.docx").write_bytes(b"PK docx")
    (reports / "wave_report_team_only.docx").write_bytes(b"PK docx")
    (reports / "checklists").mkdir()
    (reports / "checklists" / "checklists.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><title>Checklists</title></head><body>"
        "<h1>Checklists</h1><a href='../site/index.html'>report</a></body></html>")
    build_site(reports_dir=reports)
    return root


@pytest.fixture()
def site(built, tmp_path):
    """A copy of the built report (its figures stay where the manifest says); its index."""
    shutil.copytree(built / "reports", tmp_path / "reports")
    return tmp_path / "reports" / "site" / "index.html"


def test_the_site_passes_every_reader_check(driver, site):
    assert reader_problems(driver, site) == []


def test_the_index_leads_with_the_run_then_documents_and_hides_cache_keys(driver, site):
    driver.get(site.as_uri())
    main = driver.find_element("tag name", "main")
    summary = driver.find_element("id", "run-summary")
    assert summary.location["y"] < driver.find_element("id", "documents").location["y"] < (
        driver.find_element("id", "notebooks").location["y"])
    assert "Data used data/synthetic (bundled)" in summary.text
    assert "Synthetic or real synthetic" in summary.text
    assert "Status 1 notebooks: 1 executed" in summary.text and "Date 20" in summary.text
    linked = {a.text: a.get_attribute("href").rsplit("/", 2)[-2:]
              for a in driver.find_elements("css selector", ".documents a")}
    assert linked == {"Word report": ["reports", "wave_report.docx"],
                      "Word report: team only": ["reports", "wave_report_team_only.docx"],
                      "Reporting checklists": ["checklists", "checklists.html"]}
    assert "ababab" not in main.text, "cache keys only in the collapsed details"
    driver.find_element("css selector", "#run-details > summary").click()
    assert "abababababababab" in main.text
    titles = [e.text for e in driver.find_elements("css selector", ".tile-title")]
    assert titles == ["Days absent by arm", "Wide band"], "sidecar title, else from the name"
    assert driver.find_element("css selector", ".tile-caption").text == (
        "Mean days absent; synthetic data.")


def test_notebook_pages_have_a_table_of_contents(driver, site):
    driver.get((site.parent / "10_curve.html").as_uri())
    toc = driver.find_elements("css selector", ".toc a")
    assert [a.text for a in toc] == ["Results", "The figure", "Notes"]
    assert driver.title == "10 Curve"
    toc[2].click()
    assert driver.execute_script("return location.hash") == "#Notes"


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


# ----------------------------------------------------------------------------- each check fails


def _break_css(site: Path, rule: str, replacement: str = "") -> None:
    style = site.parent / "style.css"
    text = style.read_text()
    assert rule in text, f"the stylesheet no longer has {rule!r}: update this test"
    style.write_text(text.replace(rule, replacement))


def test_the_toggle_check_fails_when_the_code_is_not_hidden_or_not_shown(driver, site):
    page = site.parent / "10_curve.html"
    assert code_toggle_problems(driver, page) == []
    _break_css(site, ".page .input, .page .prompt { display: none; }")
    assert code_toggle_problems(driver, page) == [
        "10_curve.html: 3 code cells and 4 prompts displayed before 'Show code' is clicked",
        "10_curve.html: clicking again does not hide the code"]
    build_site(reports_dir=site.parent.parent)
    _break_css(site, "#show-code:checked ~ .page .input { display: flex; }")
    assert code_toggle_problems(driver, page) == [
        # the In [n] prompts sit inside the hidden code cells
        "10_curve.html: after 'Show code', 3 code cells and 3 prompts still hidden"]


def test_the_parameters_check_fails_when_the_injected_cell_is_shown(driver, site, monkeypatch):
    page = site.parent / "10_curve.html"
    assert parameters_problems(driver, page) == []
    monkeypatch.setattr(site_pages, "fold_parameters", lambda nb: None)
    (site.parent / ".state.json").unlink()  # render the page again, unfolded
    build_site(reports_dir=site.parent.parent)
    assert parameters_problems(driver, page) == [
        "10_curve.html: 0 'Parameters used' lines displayed",
        "10_curve.html: 0 'Parameters used' lines displayed with the code shown",
        "10_curve.html: the injected parameters cell is displayed with the code shown"]


def test_the_width_check_fails_when_wide_outputs_do_not_scroll_in_their_box(driver, site):
    pages = [site, site.parent / "10_curve.html", site.parent / "figures" / "10_wide_band.html"]
    assert overflow_problems(driver, pages) == []
    _break_css(site, ".output_subarea, .text_cell_render, .scroll { max-width: 100%; "
                     "overflow-x: auto; }")
    _break_css(site, "pre { background: #f7f7f7; padding: 0.5rem; overflow-x: auto;",
               "pre { background: #f7f7f7; padding: 0.5rem; overflow-x: visible;")
    problems = overflow_problems(driver, pages)
    assert len(problems) == 2 and all(p.startswith("10_curve.html: page ") for p in problems)
    _break_css(site, "img, svg, video { max-width: 100%;", "img, svg, video { max-width: none;")
    assert any(p.startswith("10_wide_band.html: page") for p in overflow_problems(driver, pages))


def test_the_gallery_check_fails_on_an_untitled_tile_or_uneven_tiles(driver, site):
    assert gallery_problems(driver, site) == []
    _break_css(site, ".thumb { display: flex; align-items: center; justify-content: center; "
                     "aspect-ratio: 4 / 3;", ".thumb { display: block;")
    assert [p.split(":")[0] for p in gallery_problems(driver, site)] == ["tiles of uneven size"]
    site.write_text(site.read_text().replace(">Wide band</a>", "></a>"))
    assert "tile fig-10_wide_band: no visible title" in gallery_problems(driver, site)


def test_the_figure_page_check_fails_without_the_way_back(driver, site):
    page = site.parent / "figures" / "10_curve.html"
    assert figure_page_problems(driver, site.parent) == []
    text = page.read_text()
    start = text.index('<p class="crumbs">')
    page.write_text(text[:start] + text[text.index("</p>", start) + 4:])
    assert figure_page_problems(driver, site.parent) == [
        "figures/10_curve.html: no visible link back to the index"]


def test_the_link_check_catches_a_missing_image(driver, site):
    (site.parent / "figures" / "10_curve.png").unlink()
    problems = check_site(driver, site)
    assert "index.html: image does not load: figures/10_curve.png" in problems
    assert "figures/10_curve.html: broken link: 10_curve.png" in problems


def test_the_link_check_catches_a_broken_link_anchor_script_error_and_fetch(driver, site):
    page = site.parent / "10_curve.html"
    page.write_text(page.read_text().replace(
        "</main>", '<a href="nowhere.html">x</a><a href="#Nowhere">y</a>'
                   '<a href="index.html#fig-gone">z</a><script>no_such_function();</script>'
                   '<img src="https://example.org/a.png"></main>'))
    problems = check_site(driver, site)
    assert "10_curve.html: broken link: nowhere.html" in problems
    assert "10_curve.html: link to a missing anchor: #Nowhere" in problems
    assert "10_curve.html: link to a missing anchor: index.html#fig-gone" in problems
    assert any("console error" in p and "no_such_function" in p for p in problems)
    assert "10_curve.html: fetches from the network: https://example.org/a.png" in problems


# ----------------------------------------------------------------------------- team-only build

BANNER = ("TEAM ONLY: this report holds participant-level outputs of /srv/export (real data); "
          "do not share it")


def banner_problems(driver, index: Path, text: str) -> list[str]:
    """What a reader of each page of the site misses of the team-only warning: the banner must
    be displayed, say ``text``, and sit above everything else on the page. Pages outside the
    site (the checklists page of another module) are not checked for it."""
    pages: set[Path] = set()
    problems = check_site(driver, index, seen=pages)
    top = Path(index).resolve().parent
    for page in sorted(p for p in pages if top in p.parents):
        name = page.relative_to(top).as_posix()
        driver.get(page.as_uri())
        found = driver.find_elements("id", "team-only")
        if not found:
            problems.append(f"{name}: no team-only banner")
            continue
        banner = found[0]
        if not banner.is_displayed():
            problems.append(f"{name}: the team-only banner is not displayed")
        elif banner.text != text:
            problems.append(f"{name}: the banner says {banner.text!r}")
        first = driver.execute_script(
            "return Array.from(document.body.querySelectorAll('*')).find("
            "e => e.offsetParent !== null || e === arguments[0])", banner)
        if first is None or first.id != banner.id or banner.location["y"] > 50:
            problems.append(f"{name}: the team-only banner is not at the top")
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
    for name in ("index.html", "10_curve.html", "figures/10_curve.html"):
        assert f"{name}: the team-only banner is not displayed" in problems
    page.write_text(text)
    plain = build_site(reports_dir=site.parent.parent)  # the same site without the banner
    assert banner_problems(driver, plain, BANNER) == [
        "10_curve.html: no team-only banner", "figures/10_curve.html: no team-only banner",
        "figures/10_wide_band.html: no team-only banner", "index.html: no team-only banner"]


# ----------------------------------------------------------------------------- shareable site

PARTICIPANT = "SYN-P0042"


@pytest.fixture()
def run_folder(tmp_path):
    """A run folder: participant-level and aggregate outputs in team_only/, only the aggregate
    ones in shareable/ (with the Word reports: a team-only one put there by mistake), a
    disclosure summary, and the manifest saying which data was used."""
    png = _png()
    run = tmp_path / "runs" / "export-1234abcd"
    team, shared = run / "team_only", run / "shareable"
    for folder in (team / "figures", team / "tables", shared / "figures" / ".artefacts",
                   shared / "tables" / ".artefacts", run / "disclosure"):
        folder.mkdir(parents=True)
    (team / "figures" / "07_case_matrix.png").write_bytes(png)
    (team / "tables" / "07_case_matrix.csv").write_text(f"participant_id,days\n{PARTICIPANT},3\n")
    for folder in (team, shared):
        (folder / "figures" / "03_forest_irr.png").write_bytes(png)
        (folder / "figures" / "03_forest_irr.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg"/>')
        (folder / "tables" / "03_effects.csv").write_text("arm,n\ncontrol,65\n")
    (shared / "figures" / ".artefacts" / "03_forest_irr.png.json").write_text(json.dumps(
        {"title": "Incidence rate ratios", "caption": "Primary and sensitivity models."}))
    (shared / "tables" / ".artefacts" / "03_effects.csv.json").write_text("{}")
    (shared / "tables" / "03_effects.table.json").write_text('{"title": "Effects by arm"}')
    (shared / "wave_report.docx").write_bytes(b"PK docx")
    (shared / "wave_report_team_only.docx").write_bytes(b"PK docx")
    (run / "disclosure" / "summary.md").write_text(
        "# Disclosure control\n\n| status | artefacts |\n|---|---|\n| pass | 2 |\n| fail | 2 |\n")
    (run / "manifest.json").write_text(json.dumps({"notebooks": {}, "run": {
        "kind": "run folder", "name": run.name, "why": "--name export", "data": {
            "folder": "/srv/export", "digest": "cd" * 32, "synthetic": False,
            "reason": "no dataset.json", "description": "/srv/export (real data)"}}}))
    return run


def test_the_shareable_site_shows_only_shareable_outputs_and_no_notebook(driver, run_folder):
    index = build_shareable_site(run_folder / "shareable", reports_dir=run_folder,
                                 disclosure_dir=run_folder / "disclosure")
    pages: set[Path] = set()
    assert reader_problems(driver, index) == []
    check_site(driver, index, seen=pages)
    assert {p.name for p in pages} == {"index.html", "03_forest_irr.html"}, "no notebook pages"
    driver.get(index.as_uri())
    text = driver.find_element("tag name", "body").text
    assert "Data used /srv/export (real data)" in text and "Synthetic or real real data" in text
    assert "only the outputs that passed disclosure control" in text
    assert "TEAM ONLY" not in text and PARTICIPANT not in text
    rows = driver.find_elements("css selector", "main > .scroll > table tr")
    assert [row.text for row in rows] == ["status artefacts", "pass 2", "fail 2"], (
        "the disclosure summary, rendered")
    assert [a.text for a in driver.find_elements("css selector", ".documents a")] == [
        "Word report"], "never the team-only Word report"
    assert driver.find_element("css selector", ".tile-title").text == "Incidence rate ratios"
    assert "Effects by arm" in driver.find_element("css selector", ".tables").text
    files = sorted(p.relative_to(index.parent).as_posix()
                   for p in index.parent.rglob("*") if p.is_file())
    assert files == ["figures/03_forest_irr.html", "figures/03_forest_irr.png",
                     "figures/03_forest_irr.svg", "index.html", "style.css",
                     "tables/03_effects.csv", "tables/03_effects.table.json"]
    for path in index.parent.rglob("*"):
        assert not path.is_file() or PARTICIPANT.encode() not in path.read_bytes()


def test_the_shareable_site_drops_what_left_shareable(run_folder):
    shared = run_folder / "shareable"
    index = build_shareable_site(shared, reports_dir=run_folder)
    assert "No disclosure summary was found" in index.read_text()
    (shared / "tables" / "03_effects.csv").unlink()
    (shared / "tables" / "03_effects.table.json").unlink()
    (shared / "figures" / "03_forest_irr.png").unlink()
    index = build_shareable_site(shared, reports_dir=run_folder)
    assert not (index.parent / "tables" / "03_effects.csv").exists()
    assert not (index.parent / "figures" / "03_forest_irr.png").exists()
    assert not (index.parent / "figures" / "03_forest_irr.html").exists()
    assert "No table has passed disclosure control." in index.read_text()
    assert "No figure has passed disclosure control." in index.read_text()
