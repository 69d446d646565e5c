"""Run calls at the same moment, each in its own thread with its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def at_once(*calls: Callable[[], Any], timeout: float = 30) -> list[Any]:
    """Start every call together; each one's result, or the exception it raised, in call order."""
    start = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        from django.db import connection

        try:
            start.wait()
            outcomes[index] = call()
        except Exception as raised:  # noqa: BLE001 (handed back to the test)
            outcomes[index] = raised
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
