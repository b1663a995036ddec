"""The table of kept answers drops the least recently used once their weight passes its limit."""

from __future__ import annotations

from azyl.web.kept import Kept


def test_the_least_recently_used_answers_go_first_when_the_weight_passes_the_limit() -> None:
    kept = Kept(10, len)
    computed: list[str] = []

    def answer(key: str) -> str:
        return kept.get((key,), lambda: computed.append(key) or key * 4)

    for key in "abc":  # 4 + 4 + 4 > 10: "a" goes
        answer(key)
    answer("b")  # kept, and now the most recently used
    answer("d")  # 4 + 4 + 4 > 10 again: "c" goes, not "b"
    assert computed == ["a", "b", "c", "d"]
    answer("b")
    answer("c")
    assert computed == ["a", "b", "c", "d", "c"]
    assert len(kept) == 2


def test_one_answer_heavier_than_the_limit_is_still_kept() -> None:
    kept = Kept(3, len)
    assert kept.get(("big",), lambda: "x" * 5) == "x" * 5
    assert kept.get(("big",), lambda: "recomputed") == "x" * 5
