"""The interactive page's browser front end, installed from the npm registry.

Solara's page loads a few npm packages that its server normally proxies from a
public CDN and caches. Where only package registries are reachable (a lab
machine behind a proxy, CI), `ensure_frontend_assets` puts the same packages,
fetched with the ordinary npm client, into that cache so the page works
offline. `make app` runs it before serving the page:

    python -m sim.app.assets
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

#: npm packages (name, version) the solara page loads, as its server templates pin them.
FRONTEND_PACKAGES = [
    ("@widgetti/solara-vuetify3-app", "5.2.0"),
    ("@widgetti/vue-grid-layout", "2.3.13-alpha.2"),
    ("requirejs", "2.3.6"),
    ("font-awesome", "4.5.0"),
]


def ensure_frontend_assets() -> list[str]:
    """Unpack the front-end npm packages into solara's CDN cache where missing; returns what was added."""
    from solara.server import settings

    cache = Path(settings.assets.proxy_cache_dir)
    missing = [(n, v) for n, v in FRONTEND_PACKAGES if not (cache / f"{n}@{v}" / "package.json").exists()]
    npm = shutil.which("npm")
    if not missing or npm is None:
        return []  # nothing to do, or no npm: the server fetches from the CDN itself when online
    added = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [npm, "pack", "--silent", *[f"{n}@{v}" for n, v in missing]],
            cwd=tmp,
            check=True,
            capture_output=True,
            timeout=300,
        )
        for name, version in missing:
            tgz = Path(tmp) / f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"
            dest = cache / f"{name}@{version}"
            staging = Path(tmp) / "unpacked" / tgz.stem
            with tarfile.open(tgz) as tar:
                tar.extractall(staging, filter="data")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(staging / "package", dest, dirs_exist_ok=True)
            added.append(f"{name}@{version}")
    return added


if __name__ == "__main__":
    print("front-end packages added:", ensure_frontend_assets() or "none (all present, or no npm)")
