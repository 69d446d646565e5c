"""While an import writes, the cyclic collector runs less often; afterwards it is as it was."""

import gc
import weakref

import pytest

from interchange.collector import YOUNG_THRESHOLD, collect_batch, collecting_less


def test_the_young_generation_is_collected_less_often_inside_and_as_before_after():
    before = gc.get_threshold()
    with collecting_less():
        assert gc.get_threshold() == (max(YOUNG_THRESHOLD, before[0]), *before[1:])
    assert gc.get_threshold() == before


def test_the_threshold_is_restored_when_the_import_fails():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), collecting_less():
        raise RuntimeError
    assert gc.get_threshold() == before


def test_nested_blocks_restore_it_only_when_the_last_one_leaves():
    before = gc.get_threshold()
    with collecting_less():
        with collecting_less():
            pass
        assert gc.get_threshold()[0] == max(YOUNG_THRESHOLD, before[0])
    assert gc.get_threshold() == before



def test_what_a_batch_left_in_cycles_is_freed_at_its_end():
    class Node:
        pass

    with collecting_less():
        node = Node()
        node.itself = node  # a cycle: reference counting alone never frees it
        gone = weakref.ref(node)
        del node
        collect_batch()
        assert gone() is None
