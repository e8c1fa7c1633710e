"""Input that would run but mean nothing is refused: one line naming the key, exit code 2, nothing written.

Declared ranges of sourced parameters are part of the source record (the files in
conf/), so no override may widen them; values are finite; ties, links, targets and
dates make sense; the output folder is named; no value reads the environment.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from sim import ConfigError, load_config
from sim.config.loading import check

#: (overrides, words the one-line message must contain)
CASES = {
    "range widened": (
        ["combat.uav_erosion.range=[-inf,inf]", "combat.uav_erosion.value=inf"],
        ["combat.uav_erosion.range", "source record", "YAML"],
    ),
    "range of the wrong length": (["combat.uav_erosion.range=[0.1]"], ["combat.uav_erosion.range", "source record"]),
    "range widened for a zero": (
        ["belligerents.azerbaijan.uavs.range=[-1,80]", "belligerents.azerbaijan.uavs.value=-1"],
        ["belligerents.azerbaijan.uavs.range"],
    ),
    "range in a whole parameter": (
        ["combat.uav_erosion={value:0.5,unit:x,range:[0,1],source:y}"],
        ["combat.uav_erosion.range", "[0.0, 0.2]", "conf/combat/default.yaml"],
    ),
    "value not finite": (["combat.uav_erosion.value=nan"], ["combat.uav_erosion.value", "finite"]),
    "strategic values of a region zeroed": (
        ["theatre.sectors.tavush.strategic_value=0", "theatre.sectors.syunik.strategic_value=0"],
        ["theatre.sectors.tavush.strategic_value"],
    ),
    "strategic values zeroed inside widened ranges": (
        [
            "theatre.sectors.tavush.ranges.strategic_value=[0,1]",
            "theatre.sectors.syunik.ranges.strategic_value=[0,1]",
            "theatre.sectors.tavush.strategic_value=0",
            "theatre.sectors.syunik.strategic_value=0",
        ],
        ["strategic_value", "armenia_proper", "sum to 1"],
    ),
    "self tie": (
        ["ties.russia_armenia_alliance.partner=russia"],
        ["ties.russia_armenia_alliance.partner", "russia", "two different actors"],
    ),
    "self link": (["theatre.links=[[fuzuli,fuzuli]]"], ["theatre.links[0]", "itself"]),
    "empty link": (["theatre.links=[[]]"], ["theatre.links[0]", "two sectors"]),
    "no links": (["theatre.links=[]"], ["theatre.links", "empty"]),
    "duplicate target": (["scenario.targets=[north,north]"], ["scenario.targets", "north", "twice"]),
    "not a date": (["scenario.start_date=not-a-date"], ["scenario.start_date", "not-a-date", "YYYY-MM-DD"]),
    "empty output_dir": (["output_dir="], ["output_dir", "empty"]),
    "absurd ensemble size": (["ensemble.n=1000000000"], ["ensemble.n", "out of range", "10000000"]),
    "environment in a description": (
        ["scenario.description=${oc.env:HOME}"],
        ["scenario.description", "oc.env", "environment"],
    ),
    "decoded environment in a source": (
        ["combat.uav_erosion.source=${oc.decode:${oc.env:HOME}}"],
        ["combat.uav_erosion.source", "oc.decode"],
    ),
}


def refused(overrides) -> str:
    with pytest.raises(ConfigError) as err:
        load_config("baseline_2020", overrides=overrides)
    return str(err.value)


@pytest.mark.exhaustive
@pytest.mark.parametrize("case", list(CASES))
def test_load_config_refuses(case):
    overrides, words = CASES[case]
    msg = refused(overrides)
    assert "\n" not in msg
    for w in words:
        assert w in msg, msg


def test_a_range_changed_after_composition_is_refused():
    """A scenario file (or code) that changes a declared range is refused by the check itself."""
    cfg = load_config("baseline_2020")
    OmegaConf.update(cfg, "belligerents.azerbaijan.uavs.range", [-10.0, 80.0])
    with pytest.raises(ConfigError, match=r"belligerents\.azerbaijan\.uavs\.range: .*conf/belligerents/default.yaml"):
        check(cfg)
    cfg = load_config("baseline_2020")
    OmegaConf.update(cfg, "combat.uav_erosion.range", [0.1])
    with pytest.raises(ConfigError, match=r"combat\.uav_erosion\.range: .*two finite numbers"):
        check(cfg)


def test_good_values_still_pass():
    cfg = load_config(
        "baseline_2020",
        overrides=[
            "belligerents.azerbaijan.uavs.value=0",  # inside its declared range [0, 80]
            "scenario.description=${scenario.name} without drones",  # a plain reference is no resolver call
            "scenario.targets=[fuzuli,jabrayil]",
        ],
    )
    assert cfg.scenario.description == "baseline_2020 without drones"


@pytest.mark.slow
def test_no_drones_inside_the_declared_range_runs():
    from sim.model.conflict import ConflictModel

    cfg = load_config("baseline_2020", overrides=["belligerents.azerbaijan.uavs.value=0", "scenario.horizon_days=10"])
    ConflictModel(cfg, rng=1).run_model()


COMMAND_LINE = ["range widened", "self tie", "empty output_dir", "environment in a description"]


@pytest.mark.slow
@pytest.mark.parametrize("case", COMMAND_LINE)
def test_command_line_refuses_and_writes_nothing(case, tmp_path):
    overrides, words = CASES[case]
    own_dir = any(o.startswith("output_dir=") for o in overrides)
    args = [*([] if own_dir else [f"output_dir={tmp_path / 'out'}"]), *overrides]
    before, at_root = set(tmp_path.rglob("*")), Path("/baseline_2020").exists()
    proc = subprocess.run(
        [sys.executable, "-m", "experiments.run", *args], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    for w in words:
        assert w in lines[0], lines[0]
    assert set(tmp_path.rglob("*")) == before, "files were written"
    assert Path("/baseline_2020").exists() == at_root, "a folder was made at the filesystem root"


@pytest.mark.slow
def test_a_tools_model_overrides_may_not_change_a_range(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "experiments.sensitivity", "overrides=[combat.uav_erosion.range=[0,1]]", "out=out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "combat.uav_erosion.range" in lines[0] and "source record" in lines[0], proc.stderr
    assert not list(tmp_path.iterdir()), "files were written"


def test_the_files_read_beside_hydra_hold_what_omegaconf_reads(tmp_path):
    """sim.config.paths.read_conf_file (libyaml, which Hydra's source of conf/ reads with too) gives every file
    of conf/ as OmegaConf.load gives it, types included, and a number written without a dot as a float."""
    from sim.config.paths import CONF_DIR, read_conf_file

    files = sorted(CONF_DIR.rglob("*.yaml"))
    assert len(files) > 20
    for path in files:
        ours, theirs = read_conf_file(path), OmegaConf.to_container(OmegaConf.load(path), resolve=False)
        assert ours == theirs, path
        assert repr(ours) == repr(theirs), path  # the same types too: 1e-3 a float, 2020-09-27 a string
    odd = tmp_path / "odd.yaml"
    odd.write_text("rate: {value: 1e-3, range: [0, 2e-2]}\n", encoding="utf-8")
    ours, theirs = read_conf_file(odd)["rate"], OmegaConf.to_container(OmegaConf.load(odd))["rate"]
    assert float(ours["value"]) == theirs["value"] == 0.001
    assert [float(x) for x in ours["range"]] == theirs["range"]
