"""Where work runs: results in order, lazily consumed inputs, errors raised where asked for."""

from __future__ import annotations

import pytest

from khaudit.executor import Pool, stream_map


def _square(x: int) -> int:
    if x < 0:
        raise ValueError(f"negative: {x}")
    return x * x


def test_stream_map_keeps_order_on_processes_and_in_process():
    items = list(range(50))
    assert list(stream_map(_square, items, workers=2)) == [x * x for x in items]
    assert list(stream_map(_square, items, workers=1)) == [x * x for x in items]


def test_stream_map_consumes_its_input_lazily():
    pulled = []

    def items():
        for x in range(1_000):
            pulled.append(x)
            yield x

    out = stream_map(_square, items(), workers=1)
    assert [next(out) for _ in range(3)] == [0, 1, 4]
    assert len(pulled) <= 4  # not the thousand items


def test_pool_starts_no_process_before_a_first_task_and_answers_in_order():
    with Pool(workers=2) as pool:
        assert pool._processes is None and not pool.inline and pool.capacity == 2
        futures = [pool.submit(_square, x) for x in range(10)]
        assert [f.result() for f in futures] == [x * x for x in range(10)]
        failed = pool.submit(_square, -1)
        with pytest.raises(ValueError, match="negative: -1"):
            failed.result()


def test_an_in_process_pool_runs_each_task_at_once_and_keeps_its_error_for_result():
    pool = Pool(workers=4, in_process=True)
    assert pool.inline and pool.capacity == 1
    done = pool.submit(_square, 3)
    assert done.done() and done.result() == 9
    failed = pool.submit(_square, -2)
    assert failed.done()
    with pytest.raises(ValueError, match="negative: -2"):
        failed.result()
    pool.close()
