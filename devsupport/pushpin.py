"""Run Debian's Pushpin unprivileged under a directory of its own (test and development support).

Pushpin's packaged config assumes system paths: `rundir` /var/run/pushpin, and
(in /usr/lib/pushpin/internal.conf) zurl sockets under /var/run/zurl while the
runner starts zurl under `rundir`, so every proxied request would hang with
"origin error". This writes a config with every socket under the run
directory, the zurl specs overridden, and the handler's TCP ports moved off
their fixed defaults, so several instances can run side by side.

`message_rate` is the handler's cap on messages sent to readers per second
(Debian's config: 2,500). Every held reader of a channel is one message per
publish, so with 10,000 readers a publish takes at least 10,000 / rate
seconds to reach the last one: the default here, 100,000/s, keeps that at
0.1 s (`live_fanout`, docs/capacity.md). `message_hwm` is how many
rate-limited messages may wait.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from .ports import free_port

MESSAGE_RATE = 100_000

CONFIG = """\
[global]
include={{libdir}}/internal.conf
rundir={rundir}
ipc_prefix=pushpin-
port_offset=0
stats_connection_ttl=120

[runner]
services=condure,zurl,pushpin-proxy,pushpin-handler
http_port={http_port}
logdir={rundir}/log
log_level={log_level}
client_buffer_size=8192
client_maxconn={maxconn}
condure_bin=condure
zurl_bin=zurl

[proxy]
routesfile={rundir}/routes
debug=false
auto_cross_origin=false
accept_x_forwarded_protocol=false
set_x_forwarded_protocol=proto-only
x_forwarded_for=
x_forwarded_for_trusted=
orig_headers_need_mark=
accept_pushpin_route=false
log_from=false
log_user_agent=false
sig_iss=pushpin
sig_key={sig_key}
upstream_key=
updates_check=off
zurl_out_specs=ipc://{{rundir}}/{{ipc_prefix}}zurl-in
zurl_out_stream_specs=ipc://{{rundir}}/{{ipc_prefix}}zurl-in-stream
zurl_in_specs=ipc://{{rundir}}/{{ipc_prefix}}zurl-out

[handler]
push_in_spec=ipc://{{rundir}}/{{ipc_prefix}}push-in
push_in_sub_specs=ipc://{{rundir}}/{{ipc_prefix}}push-in-sub
push_in_sub_connect=false
push_in_http_addr=127.0.0.1
push_in_http_port={publish_port}
push_in_http_max_headers_size=10000
push_in_http_max_body_size=1000000
stats_spec=ipc://{{rundir}}/{{ipc_prefix}}stats
command_spec=ipc://{{rundir}}/{{ipc_prefix}}command
message_rate={message_rate}
message_hwm={message_hwm}
message_wait=5000
id_cache_ttl=60
connection_subscription_max=20
subscription_linger=60
stats_subscription_ttl=60
stats_report_interval=10
stats_format=tnetstring
"""


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class Pushpin:
    """One Pushpin in front of `origin` ("host:port"); `url` for clients, `publish_url` for GRIP."""

    def __init__(self, origin: str, *, sig_key: str, maxconn: int = 50000, log_level: int = 2,
                 message_rate: int = MESSAGE_RATE) -> None:
        self.origin = origin
        self.message_rate = message_rate
        self.sig_key = sig_key
        self.maxconn = maxconn
        self.log_level = log_level
        self.rundir: Path | None = None
        self.process: subprocess.Popen | None = None
        self.http_port = self.publish_port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def publish_url(self) -> str:
        return f"http://127.0.0.1:{self.publish_port}/"

    def start(self, timeout: float = 20.0) -> Pushpin:
        if self.rundir is None:
            # Short: ipc socket paths must fit in sun_path (108 bytes).
            self.rundir = Path(tempfile.mkdtemp(prefix="pp-"))
            self.http_port, self.publish_port = free_port(), free_port()
        (self.rundir / "log").mkdir(exist_ok=True)
        (self.rundir / "routes").write_text(f"* {self.origin}\n")
        config = self.rundir / "pushpin.conf"
        config.write_text(CONFIG.format(
            rundir=self.rundir, http_port=self.http_port, publish_port=self.publish_port,
            sig_key=self.sig_key, maxconn=self.maxconn, log_level=self.log_level,
            message_rate=self.message_rate, message_hwm=max(25000, 2 * self.message_rate),
        ))
        self.process = subprocess.Popen(  # noqa: S603 (our own arguments)
            ["pushpin", f"--config={config}", "--merge-output",  # noqa: S607 (Debian's binary on PATH)
             f"--logfile={self.rundir / 'log' / 'pushpin.log'}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while not (_answers(self.http_port) and _answers(self.publish_port)):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Pushpin did not start; see {self.rundir / 'log'}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """Stop this instance: the runner stops what it started (each in its own process group);
        whatever is left after that is killed."""
        if self.process is None:
            return
        started = self.pids()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None
        for pid in started[1:]:
            with contextlib.suppress(ProcessLookupError):
                if Path(f"/proc/{pid}").exists():
                    os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while _answers(self.http_port) and time.monotonic() < deadline:
            time.sleep(0.05)

    def pids(self) -> list[int]:
        """The instance's processes: the runner and everything it started (for memory measurements)."""
        if self.process is None:
            return []
        parents: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(stat.parent.name)] = int(fields[1])
        found, frontier = [self.process.pid], [self.process.pid]
        while frontier:
            children = [pid for pid, parent in parents.items() if parent in frontier]
            found += children
            frontier = children
        return found

    def close(self) -> None:
        self.stop()
        if self.rundir is not None:
            shutil.rmtree(self.rundir, ignore_errors=True)
            self.rundir = None

    def __enter__(self) -> Pushpin:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


if __name__ == "__main__":  # python -m devsupport.pushpin ORIGIN SIG_KEY: a local Pushpin until Ctrl-C
    import sys

    with Pushpin(sys.argv[1], sig_key=sys.argv[2]) as local:
        print(f"Pushpin on {local.url}; run the app with GRIP_URL={local.publish_url} "
              f"GRIP_SIG_KEY={sys.argv[2]}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            local.process.wait()
