"""Witness processes (tools/witness.py) for tests: started on free ports, restartable, stopped by id."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.ports import free_port
from tests.waiting import wait_for
from tools import witness as witness_program

WITNESS = Path(witness_program.__file__)


class WitnessProcess:
    """One witness following the given log keys, with its key and SQLite state in `folder`."""

    def __init__(self, folder: Path, name: str, log_keys: list[str]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.port, self.process = folder, free_port(), None
        self.cosigner = witness_program.Cosigner(name, witness_program.Ed25519PrivateKey.generate())
        (folder / "witness.key").write_text(self.cosigner.signer() + "\n")
        (folder / "witness.json").write_text(json.dumps({
            "listen": f"127.0.0.1:{self.port}", "key_file": "witness.key", "state": "witness.db",
            "logs": [{"key": key} for key in log_keys]}))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def verifier(self) -> str:
        return self.cosigner.verifier()

    def start(self) -> WitnessProcess:
        self.process = subprocess.Popen(
            [sys.executable, str(WITNESS), "serve", "--config", str(self.folder / "witness.json")],
            env={**os.environ, "WITNESS_QUIET": "1"}, stdout=subprocess.DEVNULL)
        wait_for(self._listening, timeout=20)
        return self

    def _listening(self) -> bool:
        assert self.process.poll() is None, "the witness exited"
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def kill(self) -> None:
        """As a crash: no clean shutdown."""
        self.process.kill()
        self.process.wait(timeout=10)

    def post(self, body: bytes) -> tuple[int, str, str]:
        """(status, content type, text) of POST /add-checkpoint."""
        request = urllib.request.Request(self.url + "/add-checkpoint", data=body, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (loopback)
                return answer.status, answer.headers["Content-Type"], answer.read().decode()
        except urllib.error.HTTPError as refused:
            return refused.code, refused.headers["Content-Type"], refused.read().decode()
