"""A report's counts agree with their number in each language, in Markdown as on the page."""

from __future__ import annotations

import pytest

from azyl.reports.context import md_evidence


def _stats_line(count: int, lang: str) -> str:
    evidence = {
        "facts": [],
        "stats": [
            {
                "origin": "TJK",
                "asylum": "DEU",
                "year": 2023,
                "protection_rate": 0.18,
                "total_decided": count,
                "source": "UNHCR",
            }
        ],
        "figures": [],
        "incidents": [],
    }
    return md_evidence(evidence, lang).strip()


#: Russian takes the singular after 1, 21, 101 (not 11), the genitive singular after
#: 2-4, 22-24, 493 (not 12-14), and the genitive plural after 5-20, 25-30, 111.
@pytest.mark.parametrize(
    ("count", "lang", "words"),
    [
        (1, "en", "1 decision ("),
        (2, "en", "2 decisions ("),
        (1, "ru", "1 решение ("),
        (21, "ru", "21 решение ("),
        (3, "ru", "3 решения ("),
        (493, "ru", "493 решения ("),
        (5, "ru", "5 решений ("),
        (11, "ru", "11 решений ("),
        (12, "ru", "12 решений ("),
        (111, "ru", "111 решений ("),
    ],
)
def test_markdown_decision_counts_agree_with_their_number(
    count: int, lang: str, words: str
) -> None:
    assert words in _stats_line(count, lang)
