"""Fault-test fixtures: `broker`, the test's own Redis database, emptied before and after."""

import pytest

from tests.reliability.fault_support import Broker


@pytest.fixture
def broker():
    broker = Broker()
    broker.flush()
    yield broker
    broker.flush()
