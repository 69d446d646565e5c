"""`big_log`: a synthetic log of 65,537 leaves, built once for this package and rolled back after it.

A package of its own, so that the transaction it stays open in ends before
any other test (the witnesses' ones) runs.

`big_log.entries` are its entries; `big_log.levels[h]` the tree's nodes at
height 8h (0, 8, 16), computed here with hashlib alone, independently of
the server's tree.
"""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection, transaction

from devsupport.synthetic_log import grow_log
from tests.factories import make_user


def perfect(hashes: list[bytes]) -> bytes:
    while len(hashes) > 1:
        pairs = zip(hashes[::2], hashes[1::2], strict=True)
        hashes = [hashlib.sha256(b"\x01" + left + right).digest() for left, right in pairs]
    return hashes[0]


class Expected:
    def __init__(self, entries: list[bytes]) -> None:
        self.entries = entries
        self.levels = [[hashlib.sha256(b"\x00" + entry).digest() for entry in entries]]
        while len(self.levels[-1]) >= 256:
            below = self.levels[-1]
            self.levels.append([perfect(below[i:i + 256]) for i in range(0, len(below) - 255, 256)])

    def tile(self, level: int, index: int, width: int) -> bytes:
        return b"".join(self.levels[level][index * 256:index * 256 + width])

    def bundle(self, index: int, width: int) -> bytes:
        return b"".join(len(e).to_bytes(2, "big") + e for e in self.entries[index * 256:index * 256 + width])


@pytest.fixture(scope="package")
def big_log(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            expected = Expected(grow_log(65_537, make_user().pk))
            # Check the deferred foreign keys now, once: each test's teardown checks constraints
            # in a savepoint, and would otherwise check (and roll back) all 65,537 again.
            connection.check_constraints()
            yield expected
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
