"""The parts of the HTML report that need no browser: the one-line parameters, the table of
contents, figure titles and captions from sidecars, the documents an index links, the run
summary, and pages that never load a script."""

from __future__ import annotations

import json

import nbformat
import pytest

from wave_analysis._sidecars import title_from_name
from wave_analysis.runner import site_index, site_pages
from wave_analysis.runner.folders import RunFolders
from wave_analysis.runner.site import refresh_sites

INJECTED = '# Parameters\ndata_dir = "data/x"\nci_level = 0.95\nn_boot = 2000\nlevels = [1, 2]\n'
DEFAULTS = ('data_dir: str = "data/synthetic"  # folder\nci_level: float = 0.8  # level\n'
            "n_boot: int = 2000  # resamples\nlevels: list = [1, 2]  # levels\n")


def test_the_injected_parameters_become_one_line_with_changed_values_in_bold():
    line = site_pages.parameters_line(INJECTED, DEFAULTS)
    assert line == ('**Parameters used:** **`data_dir="data/x"`**, **`ci_level=0.95`**, '
                    "`n_boot=2000`, `levels=[1, 2]` (bold: differs from the notebook's "
                    "default)")
    assert "\n" not in line
    assert site_pages.parameters_line(INJECTED.replace("0.95", "0.8").replace(
        "data/x", "data/synthetic"), DEFAULTS).endswith("`levels=[1, 2]`"), "nothing in bold"
    assert site_pages.parameters_line("# Parameters\n") == "**Parameters used:** none"


def test_folding_replaces_only_the_injected_cell():
    nb = nbformat.v4.new_notebook()
    own = nbformat.v4.new_code_cell(DEFAULTS)
    own.metadata["tags"] = ["parameters"]
    injected = nbformat.v4.new_code_cell(INJECTED)
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# T"), own, injected,
                nbformat.v4.new_code_cell("x = 1")]
    site_pages.fold_parameters(nb)
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "markdown", "code"]
    assert nb.cells[1] is own and nb.cells[2].metadata["tags"] == ["parameters-used"]
    assert nb.cells[2].source.startswith("**Parameters used:** **`data_dir=")
    nbformat.validate(nb)


BODY = ('<h1 id="T">T<a class="anchor-link" href="#T">¶</a></h1><p>x</p>'
        '<h2 id="A">A &amp; B<a class="anchor-link" href="#A">¶</a></h2>'
        '<h3 id="A1">A one</h3><h3 id="A2">A two</h3><h2 id="C">C</h2><h2>no id</h2>'
        '<h4 id="D">too deep</h4>')


def test_the_contents_list_h2_and_h3_headings_nested():
    found = site_pages.headings(BODY)
    assert found == [(1, "T", "T"), (2, "A", "A & B"), (3, "A1", "A one"), (3, "A2", "A two"),
                     (2, "C", "C")]
    toc = site_pages.contents(found)
    assert toc.count("<ul>") == 2 and toc.count("</ul>") == 2
    assert toc.count("<li>") == toc.count("</li>") == 4
    assert toc.index('href="#A1"') > toc.index("<ul>", toc.index('href="#A"'))
    assert toc.index('href="#C"') > toc.index("</ul></li>")
    assert site_pages.contents([(1, "T", "T")]) == "", "no contents for a page with no section"


def test_figure_titles_and_captions_come_from_the_sidecar(tmp_path):
    png = tmp_path / "03_forest_irr.png"
    png.write_bytes(b"png")
    assert site_index.figure_labels(png) == ("Forest irr", "")
    (tmp_path / ".artefacts").mkdir()
    sidecar = tmp_path / ".artefacts" / "03_forest_irr.png.json"
    sidecar.write_text(json.dumps({"title": "Incidence rate ratios", "caption": "All models."}))
    assert site_index.figure_labels(png) == ("Incidence rate ratios", "All models.")
    sidecar.write_text("not json")
    assert site_index.figure_labels(png) == ("Forest irr", "")
    assert title_from_name("km_curve") == "Km curve"


def test_only_documents_that_exist_are_linked_and_team_only_ones_only_when_allowed(tmp_path):
    assert site_index.present_documents(tmp_path, team_only=True) == []
    for name in ("wave_report.docx", "wave_report_team_only.docx"):
        (tmp_path / name).write_bytes(b"PK")
    found = site_index.present_documents(tmp_path, team_only=True)
    assert [d.path for d, _ in found] == ["wave_report.docx", "wave_report_team_only.docx"]
    assert [d.path for d, _ in site_index.present_documents(tmp_path, team_only=False)] == [
        "wave_report.docx"]
    section = site_index.documents_section(found, tmp_path / "site")
    assert 'href="../wave_report.docx"' in section
    assert 'href="../wave_report_team_only.docx"' in section


@pytest.mark.parametrize(("synthetic", "says"), [(True, "<strong>synthetic</strong>"),
                                                 (False, "<strong>real data</strong>")])
def test_the_run_summary_says_once_whether_the_data_is_synthetic(synthetic, says):
    manifest = {"notebooks": {
        "01_a": {"status": "executed", "parameters": {"seed": 1, "data_dir": "/x", "k": 2}},
        "02_b": {"status": "failed", "parameters": {"seed": 1, "k": 3}}},
        "run": {"kind": "run folder", "name": "r1", "why": "--name r1", "data": {
            "description": "/x (described)", "synthetic": synthetic, "folder": "/x"}}}
    text = site_index.run_summary(manifest, date="2026-01-02 03:04 UTC")
    assert text.count(says) == 1 and "SYNTHETIC DATA" not in text
    assert "<code>seed=1</code>" in text and "differing between notebooks: k" in text
    assert "data_dir" not in text.split("Parameters")[1], "folders are not parameters to show"
    assert '<span class="status-executed">1 executed</span>' in text
    assert '<span class="status-failed">1 failed</span>' in text
    assert "run folder <code>r1</code> (--name r1)" in text
    assert "not recorded in the manifest" in site_index.run_summary({}, date="d")


@pytest.mark.slow  # over half a second: make test, not make quick
def test_notebook_pages_load_no_script_and_keep_the_toggle_before_the_page(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\n\n## Part"),
                nbformat.v4.new_code_cell("1", execution_count=1)]
    path = tmp_path / "01_x.ipynb"
    nbformat.write(nb, path)
    page, title = site_pages.render_notebook(path)
    assert title == "Title"
    assert "<script" not in page and 'src="http' not in page
    # pure CSS: "#show-code:checked ~ .page ..." needs the checkbox before the page, as a sibling
    assert page.index('id="show-code"') < page.index('<div class="page with-sidebar">')
    assert page.index('for="show-code"') > page.index('<div class="page with-sidebar">')


def test_refreshing_the_sites_of_a_run_folder_links_the_documents_written_after_the_run(
        tmp_path):
    root = tmp_path / "runs" / "r1"
    team = root / "team_only"
    folders = RunFolders("run folder", "r1", "--name r1", root, team / "figures",
                         team / "tables", root, team / "notebooks", team / "logs", team / "site",
                         root / "disclosure", root / "shareable")
    for folder in (folders.notebooks, folders.shareable):
        folder.mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# One")]
    nbformat.write(nb, folders.notebooks / "01_one.ipynb")
    (root / "manifest.json").write_text(json.dumps(
        {"notebooks": {"01_one": {"status": "executed", "parameters": {}}}}))
    full, shared = refresh_sites(folders, banner="TEAM ONLY")
    assert "No Word report or checklist" in full.read_text()
    page = folders.site / "01_one.html"
    page.write_text(page.read_text() + "<!-- kept -->")
    for path in (team / "wave_report.docx", team / "wave_report_team_only.docx",
                 root / "checklists" / "checklists.html", folders.shareable / "wave_report.docx",
                 folders.shareable / "wave_report_team_only.docx"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    full, shared = refresh_sites(folders)  # the banner the site was built with
    index = full.read_text()
    for href in ("../wave_report.docx", "../wave_report_team_only.docx",
                 "../../checklists/checklists.html"):
        assert f'href="{href}"' in index
    assert 'id="team-only"' in index and page.read_text().endswith("<!-- kept -->")
    assert 'href="../wave_report.docx"' in shared.read_text()
    assert "team_only.docx" not in shared.read_text() and "checklists" not in shared.read_text()
