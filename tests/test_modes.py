"""no_grad across threads and asyncio tasks; detect_anomaly in forward and backward."""

from __future__ import annotations

import asyncio
import threading

import pytest

from autograd import Value, detect_anomaly, enable_grad, is_grad_enabled, no_grad


def test_no_grad_records_nothing():
    x = Value(2.0)
    with no_grad():
        y = x * x
        assert not is_grad_enabled()
    assert y.data == 4.0 and y.is_leaf
    assert is_grad_enabled() and (x * x).parents


def test_no_grad_as_decorator():
    @no_grad()
    def update(x):
        return x * 2

    assert update(Value(1.0)).is_leaf


def test_no_grad_is_private_to_a_thread():
    inside, recorded = threading.Event(), []
    done = threading.Event()

    def quiet():
        with no_grad():
            inside.set()
            done.wait(5)

    thread = threading.Thread(target=quiet)
    thread.start()
    inside.wait(5)
    recorded.append(bool((Value(1.0) * 2).parents))
    done.set()
    thread.join()
    assert recorded == [True]


def test_no_grad_is_private_to_an_asyncio_task():
    async def quiet(started: asyncio.Event, finish: asyncio.Event):
        with no_grad():
            started.set()
            await finish.wait()
            return (Value(1.0) * 2).is_leaf

    async def loud(started: asyncio.Event, finish: asyncio.Event):
        await started.wait()
        result = bool((Value(1.0) * 2).parents)
        finish.set()
        return result

    async def main():
        started, finish = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(quiet(started, finish), loud(started, finish))

    assert asyncio.run(main()) == [True, True]


def test_anomaly_in_forward_names_op_and_line():
    big = Value(1e300, "big")
    with detect_anomaly(), pytest.raises(FloatingPointError) as error:
        big * 1e10  # LINE-FORWARD
    message = str(error.value)
    assert "mul overflowed to inf" in message and "x=1e+300 (node 'big')" in message
    assert f"test_modes.py:{_line_of('LINE-FORWARD')}" in message
    assert isinstance(error.value, OverflowError)


def test_anomaly_in_backward_names_the_step_label_and_creating_line():
    a, b = Value(1e200, "a"), Value(1e-200, "b")
    with detect_anomaly():
        f = a * b  # LINE-BACKWARD
        f.label = "f"
        loss = f * 1e200
        with pytest.raises(FloatingPointError) as error:
            loss.backward()
    message = str(error.value)
    assert "chain-rule step from mul (node 'f', created at" in message
    assert "to its input y (node 'b')" in message and "upstream = 1e+200" in message
    assert f"test_modes.py:{_line_of('LINE-BACKWARD')}" in message
    assert (a.grad, b.grad) == (0.0, 0.0)  # a failed pass leaves the gradients as they were


def test_without_anomaly_mode_non_finite_numbers_still_raise_without_a_line():
    with pytest.raises(OverflowError) as error:
        Value(1e300, "big") * 1e10
    assert "mul overflowed" in str(error.value) and "test_modes.py" not in str(error.value)


def test_backward_from_a_value_made_in_no_grad_raises():
    x = Value(2.0, "x")
    with no_grad():
        y = x * x
    with pytest.raises(RuntimeError, match=r"computed inside no_grad\(\)"):
        y.backward()
    assert x.grad == 0.0
    (y * x).backward()  # used as a constant in a recorded graph, it is fine
    assert x.grad == 4.0


def test_no_grad_as_a_decorator_keeps_the_callers_anomaly_mode():
    @no_grad()
    def scaled(x):
        return x * 1e10  # LINE-DECORATED

    with detect_anomaly(), pytest.raises(OverflowError) as error:
        scaled(Value(1e300, "big"))
    assert f"test_modes.py:{_line_of('LINE-DECORATED')}" in str(error.value)
    assert scaled(Value(1.0)).is_leaf  # and it still records nothing


def test_a_decorated_function_gets_its_own_mode_in_each_thread():
    @no_grad()
    def wait_inside(started, finish, seen):
        started.set()
        finish.wait(5)
        seen.append(is_grad_enabled())

    started, finish, seen = threading.Event(), threading.Event(), []
    thread = threading.Thread(target=wait_inside, args=(started, finish, seen))
    thread.start()
    started.wait(5)  # the thread is inside the function now; this thread calls it too
    no_wait = threading.Event()
    no_wait.set()
    wait_inside(threading.Event(), no_wait, seen)
    assert is_grad_enabled()  # this thread's call left its mode behind
    finish.set()
    thread.join()
    assert seen == [False, False]


def test_enable_grad_records_inside_no_grad():
    x = Value(3.0)
    with no_grad(), enable_grad():
        y = x * x
    y.backward()
    assert x.grad == 6.0


def _line_of(marker: str) -> int:
    with open(__file__, encoding="utf-8") as source:
        for number, line in enumerate(source, start=1):
            if f"# {marker}" in line and "_line_of" not in line:
                return number
    raise AssertionError(marker)


def test_a_recorder_hears_comparisons_detaches_and_unrecorded_values():
    from autograd.core.modes import Recorder, recording

    class Log(Recorder):
        def __init__(self):
            self.events = []

        def compared(self, left, op, right, outcome):
            self.events.append(("compared", left.label, op, right, outcome))

        def detached(self, original, copy):
            self.events.append(("detached", original.label, copy.data))

        def unrecorded(self, node, op, parents):
            self.events.append(("unrecorded", op.name, node.data, [p.label for p in parents]))

    x = Value(3.0, "x")
    log = Log()
    with recording(log):
        _ = x > 1
        _ = x.detach()
        with no_grad():
            _ = x * x
    _ = x < 0  # outside: nobody listens
    assert log.events == [
        ("compared", "x", "gt", 1.0, True),
        ("detached", "x", 3.0),
        ("unrecorded", "mul", 9.0, ["x", "x"]),
    ]
