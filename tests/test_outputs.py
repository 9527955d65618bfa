"""outputs: deterministic, atomic figure and table files; the synthetic stamp; the privacy rule
for participant-level outputs; the notebook-facing ``Outputs``."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from wave_analysis import outputs  # noqa: E402
from wave_analysis.exceptions import ArgumentError, PrivacyError  # noqa: E402
from wave_analysis.trial import baseline  # noqa: E402

FIGURE_SCRIPT = """
import sys, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from wave_analysis import outputs
outputs.set_style()
fig, ax = plt.subplots()
ax.plot([1, 2, 3], [3, 1, 2], marker="o")
ax.set_title("trend")
outputs.save_figure(fig, "f", folder=sys.argv[1], formats=("png", "svg", "pdf"), synthetic=True)
"""


def _figure():
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [3, 1, 2])
    return fig


@pytest.fixture
def shared(tmp_path, monkeypatch):
    """A temporary folder standing in for the shared figures/ and reports/tables/."""
    folder = tmp_path / "shared"
    monkeypatch.setattr(outputs, "SHARED_FOLDERS", (folder,))
    return folder


@pytest.mark.slow
def test_figures_are_byte_identical_across_two_processes(tmp_path):
    for run in ("a", "b"):
        subprocess.run([sys.executable, "-c", FIGURE_SCRIPT, str(tmp_path / run)], check=True)
    for fmt in ("png", "svg", "pdf"):
        a, b = (tmp_path / run / f"f.{fmt}" for run in ("a", "b"))
        assert a.read_bytes() == b.read_bytes(), fmt
    svg = (tmp_path / "a" / "f.svg").read_text()
    assert "<dc:date>" not in svg and "SYNTHETIC DATA" in svg


def test_only_synthetic_figures_are_stamped(tmp_path):
    real, synth = _figure(), _figure()
    outputs.save_figure(real, "real", folder=tmp_path, formats=("svg",))
    outputs.save_figure(synth, "synth", folder=tmp_path, formats=("svg",), synthetic=True)
    assert [t.get_text() for t in synth.texts] == ["SYNTHETIC DATA"]
    assert real.texts == []
    assert "SYNTHETIC DATA" not in (tmp_path / "real.svg").read_text()


def test_unknown_format_is_an_argument_error_and_writes_nothing(tmp_path):
    with pytest.raises(ArgumentError,
                       match="figure format must be one of png, svg, pdf; got 'jpg'"):
        outputs.save_figure(_figure(), "x", folder=tmp_path, formats=("png", "jpg"))
    with pytest.raises(ArgumentError, match="table format must be one of csv, md, html, tex"):
        outputs.save_table(pd.DataFrame({"a": [1]}), "x", folder=tmp_path, formats=("xls",))
    assert list(tmp_path.iterdir()) == []


def test_a_failed_save_keeps_the_previous_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    fig = _figure()
    (good,) = outputs.save_figure(fig, "f", folder=tmp_path, formats=("png",))
    before = good.read_bytes()

    def broken(path, **kwargs):
        with open(path, "wb") as fh:
            fh.write(b"half a png")
        raise OSError("disk full")

    monkeypatch.setattr(fig, "savefig", broken)
    with pytest.raises(OSError, match="disk full"):
        outputs.save_figure(fig, "f", folder=tmp_path, formats=("png",))
    assert good.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".artefacts", "f.png"]
    assert sorted(p.name for p in (tmp_path / ".artefacts").iterdir()) == ["f.png.json"]


@pytest.mark.slow  # over half a second: make test, not make quick
def test_participant_level_real_data_never_reaches_a_shared_folder(shared, tmp_path):
    with pytest.raises(PrivacyError, match="cases shows individual participants.*not synthetic"):
        outputs.save_figure(_figure(), "cases", folder=shared, participant_level=True)
    with pytest.raises(PrivacyError, match="quotes shows individual participants"):
        outputs.save_table(pd.DataFrame({"q": ["x"]}), "quotes", folder=shared / "sub",
                           participant_level=True)
    assert not shared.exists()
    # synthetic data, or a folder that is not shared, or an aggregate: written
    assert outputs.save_figure(_figure(), "cases", folder=shared, participant_level=True,
                               synthetic=True)
    assert outputs.save_figure(_figure(), "cases", folder=tmp_path / "team",
                               participant_level=True)
    assert outputs.save_figure(_figure(), "counts", folder=shared)


def test_outputs_skips_participant_level_real_data_and_says_so(shared, capsys):
    out = outputs.Outputs(figures=shared, tables=shared, synthetic=False)
    assert out.figure(_figure(), "cases", participant_level=True) == []
    assert out.table(pd.DataFrame({"a": [1]}), "cases", participant_level=True) == []
    assert not shared.exists()
    assert "not written to the shared folder" in capsys.readouterr().out
    assert out.text("> a quote", "quotes", ext="md", participant_level=True) == []
    written = out.table(pd.DataFrame({"a": [0.1234567]}), "summary")
    assert [p.name for p in written] == ["summary.csv", "summary.md"]
    assert (shared / "summary.csv").read_text() == "a\n0.123457\n"
    (page,) = out.text("<p>counts</p>", "summary", ext="html")
    assert page.read_text() == "<p>counts</p>"


def test_outputs_stamps_synthetic_figures(tmp_path):
    out = outputs.Outputs(figures=tmp_path, tables=tmp_path, synthetic=True)
    fig = _figure()
    out.figure(fig, "f", formats=("svg",))
    assert "SYNTHETIC DATA" in (tmp_path / "f.svg").read_text()


@pytest.fixture(scope="module")
def table1(trial):
    """Table 1 of the bundled cohort: text cells with '%', '_' and brackets, a hard case."""
    return baseline.table_one_frame(baseline.table_one(trial))


def test_save_table_writes_four_formats(trial, tmp_path, table1):
    four = ("csv", "md", "html", "tex")
    paths = outputs.save_table(table1, "t1", folder=tmp_path, formats=four)
    assert sorted(p.suffix for p in paths) == [".csv", ".html", ".md", ".tex"]
    back = pd.read_csv(tmp_path / "t1.csv", keep_default_na=False, dtype=str)
    assert back.equals(table1.reset_index(drop=True))
    tex = (tmp_path / "t1.tex").read_text()
    assert r"n (\%)" in tex and not re.search(r"[^\\]%", tex)
    assert "<table" in (tmp_path / "t1.html").read_text()
    assert not list(tmp_path.glob(".t1*"))  # no temporary files left behind
    rebuilt = baseline.table_one_frame(baseline.table_one(trial))  # built afresh, same bytes
    again = outputs.save_table(rebuilt, "t1", folder=tmp_path / "b", formats=four)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]


def test_every_written_file_gets_a_sidecar_with_its_disclosure_spec(tmp_path):
    sdc = {"kind": "frequency", "counts": ["n"], "derived": []}
    outputs.save_table(pd.DataFrame({"n": [12]}), "t", folder=tmp_path, sdc=sdc)
    outputs.save_text("x", "t", ext="html", folder=tmp_path, participant_level=True)

    for name in ("t.csv", "t.md"):
        meta = json.loads((tmp_path / ".artefacts" / f"{name}.json").read_text())
        assert meta == {"name": "t", "file": name, "kind": "table", "participant_level": False,
                        "synthetic": False, "disclosure": sdc}
    meta = json.loads((tmp_path / ".artefacts" / "t.html.json").read_text())
    assert meta["participant_level"] is True and meta["disclosure"] is None


def test_a_spec_that_is_not_a_mapping_is_refused(tmp_path):
    with pytest.raises(ArgumentError, match="sdc must be a mapping"):
        outputs.save_table(pd.DataFrame({"n": [1]}), "t", folder=tmp_path, sdc=["n"])
    assert not (tmp_path / "t.csv").exists()
