"""witness_round: a checkpoint cosigned by two local witness processes, from signing to the served note.

Each round writes one revision (the log must grow for a new checkpoint),
then times: sign the checkpoint, ask both witnesses (tools/witness.py, real
processes on loopback, SQLite state fsync'd per answer), store their
cosignatures, and GET /api/log/checkpoint until it carries both lines. The
figure is the p99 of those rounds against the checkpoint interval
(LOG_CHECKPOINT_SECONDS): a round must end well before the next one starts.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.test.utils import override_settings

from devsupport.ports import free_port
from events import services
from events.models import Development
from publiclog import checkpoints, witnesses
from tools import witness as witness_program

from .http import client
from .measure import Result, Side

TITLE = "Witness round: sign, two witnesses cosign, served cosigned note (p99) vs the checkpoint interval"


def _start_witness(folder: Path, name: str, log_key: str) -> tuple[subprocess.Popen, str, str]:
    cosigner = witness_program.Cosigner(name, witness_program.Ed25519PrivateKey.generate())
    port = free_port()
    folder.mkdir(parents=True)
    (folder / "witness.key").write_text(cosigner.signer() + "\n")
    (folder / "witness.json").write_text(json.dumps({
        "listen": f"127.0.0.1:{port}", "key_file": "witness.key", "state": "witness.db",
        "logs": [{"key": log_key}]}))
    process = subprocess.Popen([sys.executable, witness_program.__file__, "serve", "--config",  # noqa: S603
                                str(folder / "witness.json")], env={**os.environ, "WITNESS_QUIET": "1"},
                               stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"witness {name} did not start")
        time.sleep(0.02)
    return process, f"http://127.0.0.1:{port}", cosigner.verifier()


def witness_round(bench) -> Result:
    development = Development.objects.get(pk=bench.writes.pk)
    rounds = max(10, bench.read_repeat * 2)
    log_key = checkpoints.signing_key().verifier()
    with tempfile.TemporaryDirectory() as folder:
        started = [_start_witness(Path(folder) / name, f"bench.witness/{name}", log_key)
                   for name in ("w1", "w2")]
        try:
            configured = ",".join(f"{url} {key}" for _process, url, key in started)
            with override_settings(LOG_WITNESSES=configured, OUTBOUND_ALLOW_PRIVATE_TARGETS=True):
                times = []
                for n in range(rounds):
                    development = services.development_update(
                        author=bench.author, development=development, base_version=development.version,
                        message="Benchmark edit", changes={"summary": f"Witness bench edit {n}"})
                    began = time.perf_counter()
                    checkpoint = checkpoints.publish_checkpoint()
                    witnesses.request_cosignatures(checkpoint)
                    served = client.get("/api/log/checkpoint").content.decode()
                    times.append((time.perf_counter() - began) * 1000)
                    if served.count("\u2014 bench.witness/") != 2:
                        raise RuntimeError("the served checkpoint lacks a witness's cosignature")
        finally:
            for process, _url, _key in started:
                process.kill()
                process.wait(timeout=10)
    p99 = statistics.quantiles(times, n=100, method="inclusive")[98]
    interval_ms = settings.LOG_CHECKPOINT_SECONDS * 1000
    return Result(
        name="witness_round", title=TITLE, target=1.0, ratio=p99 / interval_ms,
        case=Side("sign + 2 witnesses (processes) + served note, p99", round(p99, 3)),
        floor=Side(f"LOG_CHECKPOINT_SECONDS ({settings.LOG_CHECKPOINT_SECONDS} s)", interval_ms),
        details={"rounds": rounds, "median_ms": round(statistics.median(times), 3),
                 "max_ms": round(max(times), 3)},
    )


MEASURES = [witness_round]
