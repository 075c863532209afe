"""Work on untrusted files runs in a child process that is stopped by time and memory limits."""

import multiprocessing
import os
import time

import pytest

from eprints_app.services.bounded import BoundedWorkError, run_bounded

MEMORY = 1024 * 2**20


def test_the_result_comes_back_from_the_child():
    assert run_bounded(divmod, 17, 5, timeout=10, memory_bytes=MEMORY) == (3, 2)


def test_an_error_in_the_child_comes_back_with_its_type_and_message():
    with pytest.raises(BoundedWorkError, match=r"^ZeroDivisionError: integer division or modulo by zero$"):
        run_bounded(divmod, 1, 0, timeout=10, memory_bytes=MEMORY)


def test_work_that_runs_too_long_is_killed_at_the_time_limit():
    started = time.monotonic()
    with pytest.raises(BoundedWorkError, match=r"^Stopped after 1 seconds without a result\.$"):
        run_bounded(time.sleep, 60, timeout=1, memory_bytes=MEMORY)
    assert time.monotonic() - started < 5
    assert multiprocessing.active_children() == []


def test_work_that_wants_too_much_memory_fails_with_a_memory_error():
    with pytest.raises(BoundedWorkError, match=r"^MemoryError"):
        run_bounded(bytearray, 4 * MEMORY, timeout=10, memory_bytes=MEMORY)


def test_a_child_that_crashes_is_reported_not_fatal():
    with pytest.raises(BoundedWorkError, match=r"^The worker process died \(exit code -6\)\.$"):
        run_bounded(os.abort, timeout=10, memory_bytes=MEMORY)
