"""Bad input: one line naming the key and what is allowed, exit code 2, nothing written.

Each case goes through the real command line (a subprocess of
`python -m experiments.run`) and, where it can be said as overrides, through
load_config too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sim import ConfigError, load_config
from sim.config.command_check import check_command_line

ROOT = Path(__file__).resolve().parent.parent

#: (overrides, words the one-line message must contain)
CASES = {
    "unknown top-level key": (["+colour=red"], ["colour", "unknown key", "allowed"]),
    "unknown nested key": (["+scenario.weather=rain"], ["scenario.weather", "unknown key", "horizon_days"]),
    "unknown key in a parameter": (["+powers.turkey.resolve.bar=1"], ["powers.turkey.resolve.bar", "value, unit"]),
    "wrong type": (["scenario.horizon_days=soon"], ["scenario.horizon_days", "soon"]),
    "unknown actor in a tie": (
        ["ties.russia_armenia_alliance.partner=narnia"],
        ["ties.russia_armenia_alliance.partner", "narnia", "armenia"],
    ),
    "unknown sector in a scenario": (["scenario.targets=[north,mars]"], ["scenario.targets", "mars", "stepanakert"]),
    "out of range": (["powers.turkey.resolve.value=1.5"], ["powers.turkey.resolve.value", "1.5", "[0.0, 1.0]"]),
    "unknown scenario": (["scenario=atlantis"], ["scenario", "baseline_2020", "turkey_intervenes"]),
    "unknown option of a group": (["experiment=atlantis"], ["experiment: 'atlantis' is unknown", "turkey_x_russia"]),
    "an actor added with +": (["+powers.china.resolve.value=0.5"], ["powers.china: unknown actor", "united_states"]),
    "unknown executor": (["ensemble.executor=gpu"], ["ensemble.executor", "gpu", "serial, processes, ray"]),
    "design parameter unknown": (
        ["experiment=lhs_many_parameters", "experiment.design.params=[powers.atlantis.resolve.value]"],
        ["experiment.design.params", "powers.atlantis.resolve.value"],
    ),
}


def run_cli(args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "experiments.run", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def assert_refused(proc, words, tmp_path: Path, before: set) -> None:
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    for w in words:
        assert w in lines[0], lines[0]
    assert not (tmp_path / "out").exists(), "an output folder was created"
    assert set(tmp_path.rglob("*")) == before, "files were written"


@pytest.mark.exhaustive
@pytest.mark.parametrize("case", list(CASES))
def test_load_config_refuses(case):
    overrides, words = CASES[case]
    scenario = None
    if overrides[0].startswith("scenario="):
        scenario, overrides = overrides[0].split("=", 1)[1], overrides[1:]
    with pytest.raises(ConfigError) as err:
        load_config(scenario, overrides=overrides)
    msg = str(err.value)
    assert "\n" not in msg
    for w in words:
        assert w in msg, msg


@pytest.mark.slow  # a command in a process of its own
@pytest.mark.parametrize("case", list(CASES))
def test_command_line_refuses_and_writes_nothing(case, tmp_path):
    overrides, words = CASES[case]
    before = set(tmp_path.rglob("*"))
    proc = run_cli([f"output_dir={tmp_path / 'out'}", *overrides], tmp_path)
    assert_refused(proc, words, tmp_path, before)


#: Overrides Hydra's grammar cannot read: (command line, start of the one line)
MALFORMED = [
    (["scenario=[baseline_2020"], "scenario: cannot read 'scenario=[baseline_2020'"),
    (["-m", "scenario=baseline_2020,,arms_embargo"], "scenario: cannot read"),
    (["-m", "belligerents.azerbaijan.uavs.value=0,"], "belligerents.azerbaijan.uavs.value: cannot read"),
]


def test_the_check_reads_malformed_syntax_as_one_config_error():
    for args, line in MALFORMED:
        with pytest.raises(ConfigError) as err:
            check_command_line([a for a in args if a != "-m"])
        assert str(err.value).startswith(line) and "\n" not in str(err.value)


@pytest.mark.slow  # a command in a process of its own
@pytest.mark.parametrize(("args", "line"), MALFORMED)
def test_malformed_syntax_on_the_command_line_is_one_line_and_writes_nothing(args, line, tmp_path):
    before = set(tmp_path.rglob("*"))
    proc = run_cli([*args, f"output_dir={tmp_path / 'out'}"], tmp_path)
    assert_refused(proc, [line, "write key=value"], tmp_path, before)


@pytest.mark.slow  # a command in a process of its own
def test_bad_value_inside_a_sweep_refused_before_any_job(tmp_path):
    """A sweep whose last value is out of range stops before the first job runs."""
    before = set(tmp_path.rglob("*"))
    proc = run_cli(
        [
            "-m",
            f"output_dir={tmp_path / 'out'}",
            "experiment=turkey_x_russia",
            "powers.russia.resolve.value=0.0,0.5,3.0",
        ],
        tmp_path,
    )
    assert_refused(proc, ["powers.russia.resolve.value", "3.0", "out of range"], tmp_path, before)


@pytest.mark.slow  # a command in a process of its own
def test_malformed_yaml_names_file_and_line(tmp_path):
    extra = tmp_path / "extra" / "scenario"
    extra.mkdir(parents=True)
    (extra / "broken.yaml").write_text("# @package _global_\nscenario:\n  name: broken\n  targets: [north\n")
    before = set(tmp_path.rglob("*"))
    proc = run_cli(
        [f"output_dir={tmp_path / 'out'}", f"hydra.searchpath=[file://{tmp_path / 'extra'}]", "scenario=broken"],
        tmp_path,
    )
    assert_refused(proc, ["broken.yaml:", "malformed YAML"], tmp_path, before)


@pytest.mark.slow  # a command in a process of its own
def test_a_good_command_line_does_write(tmp_path):
    """The refusals above are specific: the same command with good values runs and writes."""
    good = ["ensemble.n=2", "scenario.horizon_days=5", "ensemble.total=none", "report=false"]  # the tables only
    proc = run_cli([f"output_dir={tmp_path / 'out'}", *good], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert list((tmp_path / "out").rglob("runs.parquet"))


TYPOS = [
    (["powers.turky.resolve.value=0.5"], None, "powers.turky: unknown key (did you mean 'turkey'?); allowed: russia"),
    (["belligerents.azerbaijn.uavs.value=3"], None, "belligerents.azerbaijn: unknown key (did you mean 'azerbaijan'?)"),
    (["combat.uav_erosin.value=0.1"], None, "combat.uav_erosin: unknown key (did you mean 'uav_erosion'?)"),
    (["combat.uav_erosion=0.1"], None, "combat.uav_erosion: a parameter is set through its value: write "),
    ([], "baselin_2020", "scenario: 'baselin_2020' is unknown (did you mean 'baseline_2020'?); expected one of"),
    (["ties.russia_armenia_alliance.partner=armena"], None, "'armena' is not allowed (did you mean 'armenia'?)"),
]


@pytest.mark.exhaustive
@pytest.mark.parametrize(("overrides", "scenario", "line"), TYPOS)
def test_a_typo_gets_a_did_you_mean_in_one_line(overrides, scenario, line):
    with pytest.raises(ConfigError) as caught:
        load_config(scenario, overrides=overrides)
    msg = str(caught.value)
    assert line in msg and "\n" not in msg, msg
