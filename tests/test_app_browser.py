"""The interactive page in a real browser: serve sim/app/war_page.py, drive it with headless Chromium.

The test moves a slider, resets the war with it, presses Step and checks that
the status panel, the theatre map and the rung plot change; it saves a
screenshot and prints where. It needs a Chromium (Debian's `chromium`): without
one it fails when CI is set and skips, saying why, elsewhere.

Solara's browser front end is a set of npm packages that the server normally
proxies from a public CDN and caches. Where only package registries are
reachable, `sim.app.assets.ensure_frontend_assets` puts the same packages, fetched with the
ordinary npm client, into that cache, so the page works offline.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sim.app.assets import ensure_frontend_assets

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_S = 90
PAGE_LOAD_MS = 90_000
UPDATE_MS = 30_000


def find_chromium() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        msg = "no Chromium found (looked for /usr/bin/chromium and chromium on PATH); install Debian's 'chromium'"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The page served by `solara run` on a free localhost port; yields its URL."""
    added = ensure_frontend_assets()
    if added:
        print(f"front-end packages unpacked into solara's cache: {', '.join(added)}")
    port = free_port()
    log = tmp_path_factory.mktemp("app") / "server.log"
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false", "MPLBACKEND": "Agg"}
    solara = Path(sys.executable).with_name("solara")
    cmd = [
        str(solara),
        "run",
        "sim/app/war_page.py",
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
        "--production",
        "--no-open",
    ]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + SERVER_START_S
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"solara exited with {proc.returncode}; log:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"solara did not answer on {url} within {SERVER_START_S}s; log:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


#: SHA-256 of the bytes behind each <img> of the page (solara serves figures as blob: URLs).
_DIGESTS_JS = """async () => {
  const out = [];
  for (const img of document.querySelectorAll('img')) {
    if (!img.src.startsWith('blob:') && !img.src.startsWith('data:image')) continue;
    const bytes = await (await fetch(img.src)).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    out.push(Array.from(new Uint8Array(digest)).map(b => b.toString(16).padStart(2, '0')).join(''));
  }
  return out;
}"""


def _image_sources(page) -> list[str]:
    """Digests of the page's figures, in page order: rung plot, theatre map, casualties plot."""
    return page.evaluate(_DIGESTS_JS)


def _wait_for(page, predicate, what: str, timeout_ms: int = UPDATE_MS):
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        page.wait_for_timeout(250)
    raise AssertionError(f"timed out after {timeout_ms / 1000:.0f}s waiting for {what}")


@pytest.mark.slow  # a server and a browser
def test_page_slider_step_and_figures_update(chromium, server, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1300})
            page.goto(server, timeout=PAGE_LOAD_MS)
            page.get_by_role("button", name="Step").wait_for(timeout=PAGE_LOAD_MS)
            page.get_by_text("Day 0").wait_for(timeout=PAGE_LOAD_MS)
            before = _wait_for(page, lambda: (s := _image_sources(page)) and len(s) >= 3 and s, "three figures")
            assert "Slider overrides: none" in page.inner_text("body")

            # Move the Turkish-resolve slider to the top of its range, then rebuild the war with it.
            slider = page.locator(".v-slider", has=page.get_by_text("Turkish resolve", exact=True)).get_by_role(
                "slider"
            )
            slider.focus()
            slider.press("End")
            page.get_by_role("button", name="Reset").click()
            _wait_for(
                page,
                lambda: "powers.turkey.resolve.value=1.0" in page.inner_text("body"),
                "the status panel to show the moved slider",
            )

            page.get_by_role("button", name="Step").click()
            page.get_by_text("Day 1").wait_for(timeout=UPDATE_MS)
            after = _wait_for(
                page,
                lambda: (s := _image_sources(page)) and len(s) >= 3 and s[0] != before[0] and s[1] != before[1] and s,
                "the rung plot and the map to redraw",
            )
            assert after[0] != before[0], "rung plot did not change after a step"
            assert after[1] != before[1], "theatre map did not change after a step"
            # Day one of the baseline opens with the general offensive (conf/scenario/baseline_2020.yaml).
            assert "rung 3 (general offensive)" in page.inner_text("body")

            shot = tmp_path / "app_page.png"
            page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of the page after one step: {shot}")
        finally:
            browser.close()


ENSEMBLE_MS = 240_000


@pytest.mark.slow  # a server, a browser and two ensembles of 100 wars
def test_page_runs_an_ensemble_and_puts_two_settings_side_by_side(chromium, server, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1300})
            page.goto(server, timeout=PAGE_LOAD_MS)
            page.get_by_role("button", name="Step").wait_for(timeout=PAGE_LOAD_MS)
            figures = len(_wait_for(page, lambda: (s := _image_sources(page)) and len(s) >= 3 and s, "three figures"))
            _wait_for(
                page,
                lambda: re.search(r"Turkish resolve\s+[0-9.]+ 0-1 scale", page.inner_text("body")),
                "each slider's value and unit beside the sliders",
            )
            assert "Karabakh 2020 escalation model" in page.inner_text("body")

            page.get_by_role("button", name="Run 100 wars").click()
            _wait_for(page, lambda: "wars run" in page.inner_text("body"), "the progress bar", UPDATE_MS)
            page.get_by_text("Fan chart of the rung by day").wait_for(timeout=ENSEMBLE_MS)
            body = page.inner_text("body")
            assert "baseline_2020 (no slider moved), seed 1" in body
            assert "How the wars ended" in body and "Negotiated settlement:" in body
            ended = [
                line for line in body.splitlines() if line.startswith(("Negotiated settlement:", "Ceasefire that"))
            ]
            assert ended and all("(95% interval" in line for line in ended)
            _wait_for(page, lambda: len(_image_sources(page)) >= figures + 3, "the fan chart, endings and casualties")

            # a second setting beside the first: Turkish resolve at the top of its range
            slider = page.locator(".v-slider", has=page.get_by_text("Turkish resolve", exact=True))
            slider.get_by_role("slider").focus()
            slider.get_by_role("slider").press("End")
            page.get_by_role("button", name="Run 100 wars").click()
            page.get_by_text("baseline_2020 (powers.turkey.resolve = 1.0), seed 1").wait_for(timeout=ENSEMBLE_MS)
            # beside the slider: the value the war on the page uses, and the slider's, which ensembles use at once
            assert re.search(r"Turkish resolve\s+0.5 0-1 scale \(slider at 1: from Reset", page.inner_text("body"))
            _wait_for(  # the label can arrive a render before the second column's captions
                page, lambda: page.get_by_text("Fan chart of the rung by day").count() == 2, "a second fan chart"
            )
            _wait_for(page, lambda: len(_image_sources(page)) >= figures + 6, "both ensembles' figures")

            shot = tmp_path / "app_ensembles.png"
            page.get_by_text("Fan chart of the rung by day").first.scroll_into_view_if_needed()
            page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of two ensembles side by side: {shot}")
        finally:
            browser.close()
