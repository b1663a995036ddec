"""The web benchmark's verdicts: a route is within the target only if it answered, without
errors, with p95 under 100 ms (the rule of issue 22, as bench/bench_web.py states it)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    sys.path.insert(0, str(BENCH))
    try:
        yield importlib.import_module("bench_web")
    finally:
        sys.path.remove(str(BENCH))


def _row(bench: ModuleType, n: float, errors: float, p95: float) -> object:
    result = {"n": n, "errors": errors, "p95": p95, "p50": p95, "max": p95, "rps": n / 4}
    return bench.Row("Route", "GET /route", result)


@pytest.mark.parametrize(
    ("n", "errors", "p95", "over"),
    [
        (1000, 0, 99.9, False),
        (1000, 0, 100.0, True),  # "under 100 ms": 100 itself is over
        (1000, 3, 40.0, True),  # an error is never within the target
        (1, 1, 0.0, True),  # wrk's timeouts: one request, one error, latency 0
        (0, 0, 0.0, True),  # no answer within the route's time
    ],
)
def test_a_route_is_within_the_target_only_if_it_answered_quickly_and_without_error(
    bench: ModuleType, n: float, errors: float, p95: float, over: bool
) -> None:
    assert bench.over_target(_row(bench, n, errors, p95)) is over


def test_a_route_that_only_failed_is_shown_as_no_answer_with_its_errors(
    bench: ModuleType,
) -> None:
    baseline = _row(bench, 1000, 0, 10.0)
    lines = bench.table([baseline, _row(bench, 1, 1, 0.0)], seconds=4)
    assert "**no answer within 4 s**" in lines[-1] and lines[-1].endswith("| 1 |")
