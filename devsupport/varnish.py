"""Run a real Varnish with the shipped VCL on a free loopback port (test and development support).

`Varnish(backends)` renders deploy/varnish/default.vcl with its director over
`backends` (one loopback port, or several: the scale-out test's two web
nodes), starts `varnishd` in its own work directory and waits until it
answers; `stop()` ends it. `extra_recv` is VCL run at the top of vcl_recv
(the benchmark's synthetic ceiling URL). `python -m devsupport.varnish
HOST:PORT ...` prints the VCL for those nodes, probe kept:
deploy/varnish/compose.vcl is made so (tests/tracker/test_docker_compose.py).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess  # noqa: S404 (runs varnishd with fixed arguments)
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from .ports import free_port

VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish" / "default.vcl"
DEFAULT_BACKEND = '.host = "127.0.0.1";\n    .port = "8000";'
ADD_DEFAULT = "    web.add_backend(default);\n"

Backend = int | str  # a loopback port, or "host:port"


def varnishd() -> str | None:
    return shutil.which("varnishd") or next(
        (path for path in ("/usr/sbin/varnishd",) if os.access(path, os.X_OK)), None)


def _address(backend: Backend) -> tuple[str, str]:
    if isinstance(backend, int):
        return "127.0.0.1", str(backend)
    host, _, port = backend.rpartition(":")
    return host, port


def render_vcl(backends: Backend | list[Backend], extra_recv: str = "", *, probe: bool = False) -> str:
    """The shipped VCL with its director over `backends` (and `extra_recv` run first in vcl_recv).

    The first backend takes the place of `default`; each further one is a copy
    of it (`web_2`, ...) added to the `web` director. Without `probe` the health
    probe is left out (every backend then counts as healthy): a test server
    must not be asked for pages between tests.
    """
    backends = backends if isinstance(backends, list) else [backends]
    text = VCL.read_text()
    if not probe:
        text = re.sub(r"\n    \.probe = \{.*?\n    \}\n", "\n", text, count=1, flags=re.S)
    if DEFAULT_BACKEND not in text or ADD_DEFAULT not in text:
        raise ValueError(f"{VCL} no longer names its backend as {DEFAULT_BACKEND!r} in the `web` director")
    block = re.search(r"\nbackend default \{\n.*?\n\}\n", text, flags=re.S).group(0)
    copies, additions = "", ""
    for number in range(2, len(backends) + 1):
        copies += block.replace("backend default", f"backend web_{number}")
        additions += f"    web.add_backend(web_{number});\n"
    text = text.replace(block, block + copies, 1).replace(ADD_DEFAULT, ADD_DEFAULT + additions, 1)
    for backend in backends:
        host, port = _address(backend)
        text = text.replace(DEFAULT_BACKEND, f'.host = "{host}";\n    .port = "{port}";', 1)
    if extra_recv:
        # VCL concatenates subroutines of one name in the order they are defined.
        text = text.replace("\nbackend default", f"\nsub vcl_recv {{\n{extra_recv}\n}}\n\nbackend default", 1)
    return text


class Varnish:
    def __init__(self, backends: Backend | list[Backend], *, extra_recv: str = "", port: int | None = None,
                 probe: bool = False) -> None:
        binary = varnishd()
        if binary is None:
            raise RuntimeError("varnishd is not installed (make system-deps)")
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = Path(tempfile.mkdtemp(prefix="tracker-varnish-"))
        self.workdir.chmod(0o755)  # varnishd's compiler runs as its own unprivileged user
        vcl = self.workdir / "default.vcl"
        vcl.write_text(render_vcl(backends, extra_recv, probe=probe))
        self.pidfile = self.workdir / "varnishd.pid"
        started = subprocess.run(  # noqa: S603 (daemonises; the pid file names it)
            [binary, "-a", f"127.0.0.1:{self.port}", "-f", str(vcl), "-n", str(self.workdir / "n"),
             "-s", "malloc,64m", "-P", str(self.pidfile), "-T", "127.0.0.1:0"],
            capture_output=True, text=True, check=False,
        )
        if started.returncode != 0:
            shutil.rmtree(self.workdir, ignore_errors=True)
            raise RuntimeError(f"varnishd did not start: {started.stderr or started.stdout}")
        self._wait_until_up()

    def _wait_until_up(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                request = urllib.request.Request(self.url + "/", method="PURGE", headers={"xkey": "-"})  # noqa: S310
                with urllib.request.urlopen(request, timeout=2):  # noqa: S310
                    return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("varnishd did not start listening")

    def admin(self, *command: str) -> str:
        """Run a varnishadm command against this instance (its work dir holds the secret)."""
        binary = shutil.which("varnishadm") or "/usr/bin/varnishadm"
        done = subprocess.run([binary, "-n", str(self.workdir / "n"), *command],  # noqa: S603
                              capture_output=True, text=True, check=True, timeout=20)
        return done.stdout

    def clear(self) -> None:
        """Invalidate every cached object (a ban on all URLs)."""
        self.admin("ban", "req.url", "~", ".")

    def pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        pid = self.pid()
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Varnish:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


if __name__ == "__main__":  # python -m devsupport.varnish web1:8000 web2:8000 > deploy/varnish/compose.vcl
    import sys

    print(render_vcl(sys.argv[1:], probe=True), end="")
