"""The standalone verifier's fast reading of a whole log: the same entries and root as the server's."""

from __future__ import annotations

import json

import pytest

from record.leaves import entry_for
from tests.record.test_merkle import mth
from tools import tlog_core

TRICKY_LINES = [
    b'{"at":"2026-12-05T01:00:00+00:00","author":"desk","minor":false,"revision":42,"versions":[]}',
    b'{"message":"said \\"revision\\":9","revision":10}',  # the key spelled inside a string
    b'{"message":"a \\\\","revision":7}',  # an escaped backslash before the real key
    b'{"message":"[draft] {x}","revision":3}',  # brackets inside a string
    b'{"a":{"revision":5},"revision":6}',  # a nested key of the same name
    b'{"revision":7,"revi\\u0073ion":8}',  # a duplicate spelled with an escape: json keeps the last
    b'{"revision":1,"revision":2}',  # a plain duplicate
    b'{"b":["revision",1],"revision":4}',
    b'{"revision":-0}',
    b'{"revision":true}',
    b'{"revision":1.0}',
    b'{"revision":"12"}',
    b'{"revision": 12}',
]


@pytest.mark.parametrize("line", TRICKY_LINES)
def test_the_verifier_builds_the_servers_entry_from_any_line(line):
    assert tlog_core.entry_of(line) == entry_for(json.loads(line)["revision"], line)


def test_a_line_without_a_revision_id_is_a_failure_not_an_entry():
    with pytest.raises(tlog_core.Failure):
        tlog_core.entry_of(b'{"at":"2026-12-05","versions":[{"revision":3}]}')


def test_the_root_of_a_whole_log_at_once_is_the_rfc_9162_root_at_every_size():
    entries = [entry_for(number, b'{"revision":%d}' % number) for number in range(1, 40)]
    for size in range(len(entries) + 1):
        assert tlog_core.root_of(tlog_core.line_leaf_hashes(
            [b'{"revision":%d}' % number for number in range(1, size + 1)])) == mth(entries[:size])
