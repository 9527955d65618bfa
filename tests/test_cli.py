"""The command line: each command's success, and its failures as ONE line on stderr with a
non-zero exit and no traceback."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from checkout import clone_checkout, status

from wave_analysis import cli
from wave_analysis.config import DATA_DICTIONARY, REPO_ROOT
from wave_analysis.data import provenance as provenance_module
from wave_analysis.data.provenance import Provenance
from wave_analysis.exceptions import ArgumentError, ConfigError, ParameterError
from wave_analysis.runner import execute, folders
from wave_analysis.runner.notebooks import list_notebooks
from wave_analysis.runner.parameters import notebook_parameters

FAKE_NB = """{"cells": [{"cell_type": "code", "id": "p", "metadata": {"tags": ["parameters"]},
  "execution_count": null, "outputs": [],
  "source": "data_dir: str = 'd'  # export\\ntables_dir: str = 't'  # tables\\n%s"},
 {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": null, "outputs": [],
  "source": "%s"}],
 "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
  "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}"""


def main(capsys, *argv):
    """(exit code, stdout, stderr) of ``wave-analysis ARGV``."""
    code = cli.main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert "Traceback" not in err
    return err


# ----------------------------------------------------------------------------- validate


def test_validate_passes_on_the_synthetic_export(capsys, synthetic_dir):
    code, out, err = main(capsys, "validate", synthetic_dir)
    assert (code, err) == (0, "")
    assert out == (f"{synthetic_dir}: synthetic data (verified): every file matches the "
                   f"generator's record in dataset.json\n{synthetic_dir}: all tables valid\n")


def test_validate_lists_problems_and_exits_1(capsys, synthetic_copy):
    sms = synthetic_copy / "sms.csv"
    lines = sms.read_text().splitlines()
    header = lines[0].split(",")
    row = lines[5].split(",")
    row[header.index("days_off")] = "20"
    lines[5] = ",".join(row)
    sms.write_text("\n".join(lines) + "\n")
    code, out, err = main(capsys, "validate", synthetic_copy)
    assert code == 1
    assert "sms.csv:6: column 'days_off': 20 must be between 0 and 14" in out
    assert err == f"1 problem found in {synthetic_copy}\n"


def test_validate_of_a_missing_folder_is_one_line(capsys, tmp_path):
    code, _, err = main(capsys, "validate", tmp_path / "nowhere")
    assert code != 0 and "nowhere" in one_line(err)


# ----------------------------------------------------------------------------- run


def fake_provenance(synthetic: bool):
    """A stand-in for ``data.provenance.provenance`` (the CLI's tests do not depend on how
    provenance is decided)."""
    def provenance(folder):
        reason = ("every file matches the generator's record" if synthetic
                  else "test: treated as real")
        return Provenance(Path(folder), synthetic, "ab" * 32, reason)
    return provenance


@pytest.fixture()
def fake_collection(tmp_path, monkeypatch):
    """``wave-analysis run`` on a folder of two tiny notebooks; run folders under tmp/runs, and
    the "bundled" data and canonical folders in tmp too. The data counts as valid and real."""
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    (nbs / "10_ok.ipynb").write_text(FAKE_NB % (
        "n: int = 1  # a number", "from pathlib import Path\\n"
        "Path(tables_dir, 'out.txt').write_text(str(n))"))
    (nbs / "20_fails.ipynb").write_text(FAKE_NB % ("", "1 / 0"))
    for sub in ("data", "bundled"):
        (tmp_path / sub).mkdir()
    canonical = tmp_path / "canonical"
    for name, value in {"RUNS_DIR": tmp_path / "runs", "SYNTHETIC_DIR": tmp_path / "bundled",
                        "FIGURES_DIR": canonical / "figures", "TABLES_DIR": canonical / "tables",
                        "REPORTS_DIR": canonical / "reports",
                        "EXECUTED_DIR": canonical / "reports" / "notebooks"}.items():
        monkeypatch.setattr(folders, name, value)
    monkeypatch.setattr(cli, "SYNTHETIC_DIR", tmp_path / "bundled")
    monkeypatch.setattr(provenance_module, "SYNTHETIC_DIR", tmp_path / "bundled")
    monkeypatch.setattr(cli, "validate_folder", lambda folder: [])
    monkeypatch.setattr(cli, "provenance", fake_provenance(False))
    real = execute.run_all

    def run_all(options, **kw):
        return real(dataclasses.replace(options, notebooks_dir=nbs), **kw)

    monkeypatch.setattr(cli, "run_all", run_all)
    return tmp_path


def only_run_folder(root: Path) -> Path:
    found = list((root / "runs").iterdir())
    assert len(found) == 1, found
    return found[0]


@pytest.mark.slow
def test_run_executes_with_parameters_from_a_file_and_the_command_line(capsys, fake_collection):
    params = fake_collection / "params.yaml"
    params.write_text("n: 5\n")
    code, out, err = main(capsys, "run", "--data", fake_collection / "data", "--only", "10",
                          "--params", params, "--no-site", "-j", "1", "--name", "five")
    assert code == 0 and err == "", err
    run = fake_collection / "runs" / "five"
    assert (run / "team_only" / "tables" / "out.txt").read_text() == "5"
    assert out.splitlines()[-3] == (f"1 notebooks: 1 executed, 0 cached; run folder {run}/ "
                                    f"(--name five); manifest in {run / 'manifest.json'}")
    code, out, _ = main(capsys, "run", "--data", fake_collection / "data", "--only", "10",
                        "--params", params, "-p", "n=7", "--no-site", "--name", "five")
    assert code == 0 and (run / "team_only" / "tables" / "out.txt").read_text() == "7", "-p wins"
    code, out, _ = main(capsys, "run", "--data", fake_collection / "data", "--only", "10",
                        "-p", "n=7", "--no-site", "--name", "five")
    assert code == 0 and "1 notebooks: 0 executed, 1 cached" in out
    assert not (fake_collection / "canonical").exists()


@pytest.mark.slow  # over half a second: make test, not make quick
def test_a_failed_notebook_is_one_line_and_exit_2(capsys, fake_collection):
    code, _, err = main(capsys, "run", "--data", fake_collection / "data", "--no-site")
    assert code == 2
    assert "20_fails cell 3: ZeroDivisionError: division by zero" in one_line(err)
    run = only_run_folder(fake_collection)
    assert run.name.startswith("data-")
    assert (run / "team_only" / "tables" / "out.txt").read_text() == "1", "10_ok still ran"


@pytest.mark.slow  # over half a second: make test, not make quick
def test_the_bundled_verified_data_is_the_canonical_run(capsys, fake_collection, monkeypatch):
    monkeypatch.setattr(cli, "provenance", fake_provenance(True))
    code, out, err = main(capsys, "run", "--data", fake_collection / "bundled", "--only", "10")
    assert (code, err) == (0, "")
    canonical = fake_collection / "canonical"
    assert (canonical / "tables" / "out.txt").read_text() == "1"
    assert not (fake_collection / "runs").exists()
    assert out.splitlines()[-1] == (
        f"1 notebooks: 1 executed, 0 cached; manifest in {canonical / 'reports/manifest.json'}, "
        f"report in {canonical / 'reports/site/index.html'}")
    record = json.loads((canonical / "reports" / "manifest.json").read_text())["run"]
    assert record["kind"] == "canonical" and record["data"]["synthetic"] is True
    assert record["data"]["digest"] == "ab" * 32
    index = (canonical / "reports" / "site" / "index.html").read_text()
    assert "TEAM ONLY" not in index and "(bundled synthetic data, verified)" in index
    assert index.count("<strong>synthetic</strong>: generated participants") == 1


@pytest.mark.slow  # over half a second: make test, not make quick
def test_unverified_bundled_data_goes_to_a_run_folder_and_says_why(capsys, fake_collection):
    code, out, err = main(capsys, "run", "--data", fake_collection / "bundled", "--only", "10",
                          "--no-site")
    assert (code, err) == (0, "")
    run = only_run_folder(fake_collection)
    assert out.splitlines()[0] == (f"note: {fake_collection / 'bundled'} is not verified "
                                   f"synthetic (test: treated as real), so this run writes to "
                                   f"{run}/, not figures/")
    assert (run / "team_only" / "tables" / "out.txt").is_file()
    assert not (fake_collection / "canonical").exists()


@pytest.mark.slow  # over half a second: make test, not make quick
def test_a_run_folder_records_its_data_and_builds_a_team_only_and_a_shareable_site(
        capsys, fake_collection):
    code, out, err = main(capsys, "run", "--data", fake_collection / "data", "--only", "10",
                          "--name", "real")
    assert (code, err) == (0, "")
    run = fake_collection / "runs" / "real"
    record = json.loads((run / "manifest.json").read_text())["run"]
    assert record == {"kind": "run folder", "name": "real", "why": "--name real",
                      "folder": str(run), "data": {
                          "folder": str(fake_collection / "data"), "digest": "ab" * 32,
                          "synthetic": False, "reason": "test: treated as real",
                          "description": f"{fake_collection / 'data'} (real data)"}}
    banner = (f"TEAM ONLY: this report holds participant-level outputs of "
              f"{fake_collection / 'data'} (real data); do not share it")
    for page in ("index.html", "10_ok.html"):
        assert banner in (run / "team_only" / "site" / page).read_text()
    shared = (run / "shareable" / "site" / "index.html").read_text()
    assert "TEAM ONLY" not in shared and "(real data)" in shared
    assert "only the outputs that passed disclosure control" in shared
    assert sorted(p.name for p in (run / "shareable" / "site").glob("*.html")) == ["index.html"]
    lines = out.splitlines()[-2:]
    assert lines[0].startswith(f"team only (participant-level, do not share): "
                               f"{run / 'team_only'}/, report in ")
    assert lines[1] == (f"shareable (passed disclosure control): {run / 'shareable'}/, report "
                        f"in {run / 'shareable/site/index.html'}")


def test_validation_comes_first_prints_the_problems_once_and_starts_no_kernel(
        capsys, synthetic_copy, monkeypatch, tmp_path):
    participants = synthetic_copy / "participants.csv"
    text = participants.read_text()
    participants.write_text(text.replace("practice_id", "practise_id", 1))

    def no_run(*args, **kw):
        raise AssertionError("a kernel would start")

    monkeypatch.setattr(cli, "run_all", no_run)
    monkeypatch.setattr(folders, "RUNS_DIR", tmp_path / "runs")
    code, out, err = main(capsys, "run", "--data", synthetic_copy)
    assert code == 1
    assert out.count("participants.csv: column 'practise_id' unexpected column") == 1
    assert out.count("participants.csv: column 'practice_id' required column is missing") == 1
    assert len(out.splitlines()) == 2
    assert err == f"2 problems found in {synthetic_copy}; no notebook was run (fix them, then " \
                  "rerun)\n"
    assert not (tmp_path / "runs").exists()


@pytest.mark.parametrize(("argv", "message"), [
    (["-p", "no_such_parameter=3"], "unknown parameter(s) no_such_parameter; declared: "),
    (["-p", "data_dir=[1, 2]"], "parameter data_dir=[1, 2] is list, but 00_"),
    (["-p", "data_dir"], "-p 'data_dir': write parameters as NAME=VALUE"),
    (["-p", "x=[1,"], "-p x='[1,': the value is not a YAML value"),
    (["--jobs", "0"], "--jobs must be a whole number of at least 1; got 0"),
    (["--only", "99_nothing"], "no notebook named 99_nothing; choose from 00_"),
    (["--data", "/no/such/folder"], "/no/such/folder: no such folder; pass the folder "
                                    "holding the export")])
def test_run_refuses_bad_arguments_in_one_line_before_any_kernel(capsys, argv, message):
    code, out, err = main(capsys, "run", *argv)
    assert code == 2 and out == ""
    assert message in one_line(err)


def test_a_malformed_params_file_is_a_config_error_naming_file_and_reason(capsys, tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("n: [1, 2\nm: 3\n")
    with pytest.raises(ConfigError, match=r"p.yaml: not valid YAML: .*\(line \d+, column \d+\)"):
        cli.parameter_values(str(bad), None)
    code, _, err = main(capsys, "run", "--params", bad)
    assert code == 2 and f"{bad}: not valid YAML" in one_line(err)
    bad.write_text("- n\n- m\n")
    with pytest.raises(ConfigError, match="p.yaml: must be a YAML mapping of name: value; got "
                                          "list"):
        cli.parameter_values(str(bad), None)
    with pytest.raises(ConfigError, match="nothing.yaml: parameter file not found"):
        cli.parameter_values(str(tmp_path / "nothing.yaml"), None)


def test_parameter_values_merge_file_and_pairs(tmp_path):
    good = tmp_path / "p.yaml"
    good.write_text("a: 1\nb: [x, y]\n")
    assert cli.parameter_values(str(good), ["a=2.5", "c=true", "d=two words"]) == {
        "a": 2.5, "b": ["x", "y"], "c": True, "d": "two words"}
    with pytest.raises(ArgumentError, match="write parameters as NAME=VALUE"):
        cli.parameter_values(None, ["novalue"])


def test_an_unknown_name_in_a_params_file_stays_a_parameter_error(capsys, tmp_path):
    (tmp_path / "p.yaml").write_text("no_such_parameter: 3\n")
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) no_such_parameter"):
        cli._cmd_run(cli.build_parser().parse_args(["run", "--params",
                                                    str(tmp_path / "p.yaml")]))


# ----------------------------------------------------------------------------- list


def test_list_shows_types_defaults_and_help(capsys):
    code, out, _ = main(capsys, "list")
    assert code == 0
    for nb in list_notebooks():
        assert nb.stem in out
        for name, info in notebook_parameters(nb).items():
            assert f"  {name}: {info['type']} = {info['default']!r}  # {info['help']}" in out


def test_list_of_a_notebook_without_a_parameters_cell_is_one_line(capsys, tmp_path,
                                                                  monkeypatch):
    (tmp_path / "10_bad.ipynb").write_text(FAKE_NB.replace('"tags": ["parameters"]', "")
                                           % ("", "x = 1"))
    monkeypatch.setattr(cli, "list_notebooks", lambda: sorted(tmp_path.glob("*.ipynb")))
    code, _, err = main(capsys, "list")
    assert code == 2 and "needs exactly one code cell tagged 'parameters'" in one_line(err)


# ----------------------------------------------------------------------------- synth


def test_synth_writes_a_cohort_and_refuses_a_negative_seed(capsys, tmp_path):
    code, out, _ = main(capsys, "synth", "--out", tmp_path / "cohort", "--seed", "7")
    assert code == 0 and out == f"wrote the synthetic WAVE cohort (seed 7) to " \
                                 f"{tmp_path / 'cohort'}\n"
    assert (tmp_path / "cohort" / "participants.csv").is_file()
    code, _, err = main(capsys, "synth", "--out", tmp_path / "other", "--seed", "-1")
    assert code == 2 and "--seed must be a whole number of at least 0; got -1" in one_line(err)
    assert not (tmp_path / "other").exists()


# ----------------------------------------------------------------------------- dictionary


def test_dictionary_writes_and_checks(capsys, tmp_path):
    target = tmp_path / "docs" / "dictionary.md"
    assert main(capsys, "dictionary", "--out", target)[:2] == (0, f"wrote {target}\n")
    assert target.read_text() == DATA_DICTIONARY.read_text()
    assert main(capsys, "dictionary", "--out", target, "--check")[0] == 0
    target.write_text(target.read_text() + "edited\n")
    code, _, err = main(capsys, "dictionary", "--out", target, "--check")
    assert code == 1 and err == f"{target} is stale; run `wave-analysis dictionary`\n"


# ----------------------------------------------------------------------------- qdpx


def test_qdpx_export_then_import(capsys, tmp_path, synthetic_dir):
    project = tmp_path / "wave.qdpx"
    code, out, _ = main(capsys, "qdpx", "export", synthetic_dir, project)
    assert code == 0 and out == f"wrote {project}\n" and project.is_file()
    code, out, _ = main(capsys, "qdpx", "import", project, tmp_path / "tables")
    assert code == 0 and out.endswith(f"transcripts/ to {tmp_path / 'tables'}\n")
    assert (tmp_path / "tables" / "codings.csv").is_file()


def test_qdpx_failures_are_one_line(capsys, tmp_path):
    (tmp_path / "bad.qdpx").write_text("not a zip archive")
    code, _, err = main(capsys, "qdpx", "import", tmp_path / "bad.qdpx", tmp_path / "out")
    assert code == 2 and "bad.qdpx" in one_line(err)
    code, _, err = main(capsys, "qdpx", "export", tmp_path / "nowhere", tmp_path / "x.qdpx")
    assert code == 2 and "nowhere" in one_line(err)
    assert not (tmp_path / "x.qdpx").exists()


def _groupless_project(path: Path) -> Path:
    """A REFI-QDA project whose sources carry no stakeholder group, as most real exports."""
    sources = "".join(
        f'<TextSource guid="00000000-0000-0000-0000-00000000020{k}" name="{name}">'
        f"<PlainTextContent>{text}</PlainTextContent></TextSource>"
        for k, (name, text) in enumerate([("GP_01", "I write fit notes."),
                                          ("Employer 2", "We adjusted duties.")]))
    path.write_text(f'<Project xmlns="urn:QDA-XML:project:1.0" name="t"><Sources>{sources}'
                    "</Sources></Project>")
    return path


def test_qdpx_inspect_writes_a_template_the_import_takes(capsys, tmp_path):
    project = _groupless_project(tmp_path / "p.qde")
    code, _, err = main(capsys, "qdpx", "import", project, tmp_path / "refused")
    assert code == 2 and one_line(err).startswith(
        "error: p.qde: 2 source(s) have no stakeholder group: 'GP_01', 'Employer 2' (fix: run "
        f"`wave-analysis qdpx inspect {project} --template mapping.csv`, fill its "
        "stakeholder_group column and pass --mapping mapping.csv")
    template = tmp_path / "mapping.csv"
    code, out, _ = main(capsys, "qdpx", "inspect", project, "--template", template)
    assert code == 0 and out.startswith("p.qde: 2 text source(s), 0 codes, 0 codings")
    assert "GP_01" in out and f"wrote the mapping template {template}" in out
    code, _, err = main(capsys, "qdpx", "inspect", project, "--template", template)
    assert code == 2 and "mapping.csv: already exists" in one_line(err)
    # both groups are guessed from the names; accepted as they are, the folder validates
    code, _, _ = main(capsys, "qdpx", "import", project, tmp_path / "out", "--mapping", template)
    assert code == 0 and main(capsys, "validate", tmp_path / "out")[0] == 0


def test_qdpx_import_default_group(capsys, tmp_path):
    project = _groupless_project(tmp_path / "p.qde")
    code, _, err = main(capsys, "qdpx", "import", project, tmp_path / "out",
                        "--default-group", "nurse")
    assert code == 2 and one_line(err) == (
        "error: default_group must be one of patient, employer, vsw, gp; got 'nurse'\n")
    code, _, _ = main(capsys, "qdpx", "import", project, tmp_path / "out",
                      "--default-group", "vsw")
    assert code == 0 and main(capsys, "validate", tmp_path / "out")[0] == 0
    assert (tmp_path / "out" / "interviews.csv").read_text().count(",vsw,") == 2


# ----------------------------------------------------------------------------- any failure


def test_unexpected_errors_and_interrupts_are_one_line(capsys, monkeypatch):
    def boom(args):
        raise RuntimeError("something\nwent wrong")

    monkeypatch.setattr(cli, "_cmd_list", boom)
    monkeypatch.delenv("WAVE_DEBUG", raising=False)
    code, _, err = main(capsys, "list")
    assert code == 3
    assert one_line(err) == ("error: unexpected RuntimeError: something went wrong (rerun "
                             "with WAVE_DEBUG=1 for details)\n")
    monkeypatch.setenv("WAVE_DEBUG", "1")
    with pytest.raises(RuntimeError, match="went wrong"):
        cli.main(["list"])

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_cmd_list", interrupted)
    assert main(capsys, "list")[0] == 130


@pytest.mark.slow
def test_the_installed_command_fails_in_one_line(tmp_path):
    out = subprocess.run([sys.executable, "-m", "wave_analysis", "qdpx", "import",
                          str(tmp_path / "missing.qdpx"), str(tmp_path / "out")],
                         capture_output=True, text=True, cwd=REPO_ROOT, check=False)
    assert out.returncode == 2 and out.stdout == ""
    assert "missing.qdpx" in one_line(out.stderr)


# ----------------------------------------------------------------------------- end to end


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """A throwaway clone of the checkout: runs there show what `git status` would say."""
    return clone_checkout(tmp_path_factory.mktemp("runs") / "clone")


def run_in(clone: Path, *argv) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(clone)}
    return subprocess.run([sys.executable, "-m", "wave_analysis", "run", *map(str, argv)],
                          cwd=clone, env=env, capture_output=True, text=True, check=False)


def ignored(clone: Path) -> set[str]:
    """What git ignores in the clone, bytecode caches aside."""
    lines = status(clone, "--ignored").splitlines()
    return {line[3:] for line in lines if line.startswith("!! ")
            and "__pycache__" not in line}


@pytest.mark.slow
def test_a_run_on_a_renamed_copy_writes_only_under_runs(clone, synthetic_dir, tmp_path):
    copy = tmp_path / "Trial Export"
    shutil.copytree(synthetic_dir, copy)
    done = run_in(clone, "--data", copy, "--only", "00_data_quality", "-j", "1")
    assert done.returncode == 0, done.stderr
    assert status(clone) == "", "figures/ and every tracked file untouched"
    assert ignored(clone) == {"runs/"}, "nothing written outside runs/ (no reports/)"
    (run,) = (clone / "runs").iterdir()
    assert run.name.startswith("trial-export-")
    team = run / "team_only"
    assert (team / "figures" / "00_sms_reply_rate.png").is_file()
    assert (team / "notebooks" / "00_data_quality.ipynb").is_file()
    assert (team / "logs" / "00_data_quality.log").is_file()
    assert "TEAM ONLY: this report holds participant-level outputs of" in (
        team / "site" / "00_data_quality.html").read_text()
    assert (run / "shareable" / "site" / "index.html").is_file()
    record = json.loads((run / "manifest.json").read_text())["run"]
    assert (record["kind"], record["name"], record["data"]["folder"]) == (
        "run folder", run.name, str(copy))
    assert f"run folder runs/{run.name}/ (the data is not the bundled synthetic data)" in (
        done.stdout)


@pytest.mark.slow
def test_an_exploratory_parameter_leaves_figures_untouched(clone):
    tracked = {p.name: p.read_bytes() for p in (clone / "figures").glob("03_*")}
    done = run_in(clone, "--only", "03_days_absent", "-p", "ci_level=0.95", "-j", "1")
    assert done.returncode == 0, done.stderr
    assert status(clone) == ""
    assert {p.name: p.read_bytes() for p in (clone / "figures").glob("03_*")} == tracked
    runs = [r for r in (clone / "runs").iterdir() if r.name.startswith("synthetic-")]
    assert len(runs) == 1
    explored = runs[0] / "team_only" / "figures" / "03_forest_irr.png"
    assert explored.read_bytes() != tracked["03_forest_irr.png"], "the 95% interval was drawn"
    assert "parameters differ from the defaults (ci_level)" in done.stdout
