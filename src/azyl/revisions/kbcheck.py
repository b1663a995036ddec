"""Checking a proposed knowledge-base fact with the knowledge base's own strict loader.

The proposal is written into a scratch copy of `kb/` at the place its id
names (`kb/facts/<area>/<name>.yaml`), and the whole copy is loaded by
`azyl.kb.loader.load_kb`, the same code `azyl kb check` runs: the YAML
rules, vocabularies, ISO codes, dates, cited sources, related facts and
quotes against the archived texts are all judged exactly as they will be once
the file is committed. Problems in the proposed file come back as
`line N: problem`; any other problem the proposal causes keeps its file name.
The real `kb/` is never written: the copy links to the real folders and
files (copying some 1,250 files, or linking each, took longer than loading
them), except the proposed fact's own area folder, which is new, holds links
to the other facts of its area and the proposed file written in its own name.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from azyl.config import Settings
from azyl.errors import InputError, KnowledgeBaseError
from azyl.i18n import N_
from azyl.i18n.message import Message, failure
from azyl.kb.loader import load_kb, visible_entries
from azyl.kb.vocabulary import AREAS
from azyl.validation import Problem, Said

#: `<area>.<name>`: the area a folder of kb/facts, the name a file name without .yaml.
FACT_ID = re.compile(r"^([a-z_]+)\.([a-z0-9][a-z0-9_-]*)$")
#: The longest proposal accepted (a fact file is a few kilobytes).
MAX_TEXT = 20_000


def fact_path(fact_id: str) -> str:
    """`kb/facts/<area>/<name>.yaml` for a well-formed fact id; InputError otherwise.

    The id is checked before it is ever used as a path, so no proposal can
    name a file outside `kb/facts/<area>/`.
    """
    match = FACT_ID.fullmatch(fact_id.strip())
    if match is None:
        raise failure(
            InputError,
            N_(
                "{id} is not a fact id: write <area>.<name>, e.g. "
                "safe_third_country.nor-russia-2016 (lower-case letters, digits, '-' and '_')"
            ),
            id=repr(fact_id),
        )
    area, name = match.groups()
    if area not in AREAS:
        raise failure(
            InputError,
            N_("unknown knowledge-base area {area}; the areas are {areas}"),
            area=repr(area),
            areas=", ".join(AREAS),
        )
    return f"kb/facts/{area}/{name}.yaml"


def existing_fact_text(settings: Settings, fact_id: str) -> str | None:
    """The committed YAML of a fact, or None if there is no such fact."""
    path = settings.kb_dir / Path(fact_path(fact_id)).relative_to("kb")
    return path.read_text(encoding="utf-8") if path.is_file() else None


def check_fact(settings: Settings, fact_id: str, text: str) -> list[Said]:
    """Every problem the strict loader finds with `text` as fact `fact_id` (empty: valid);
    a problem in the proposed file is a template a page renders in its language."""
    relative = fact_path(fact_id)
    if len(text) > MAX_TEXT:
        too_long = N_("the proposal is {length} characters long; the limit is {limit}")
        return [Message.of(too_long, length=len(text), limit=MAX_TEXT)]
    with tempfile.TemporaryDirectory(prefix="azyl-proposal-") as scratch:
        copy = Path(scratch) / "kb"
        target = _scratch_copy(settings.kb_dir.resolve(), copy, relative)
        target.write_text(text, encoding="utf-8")
        try:
            load_kb(copy, settings.source_texts)
        except KnowledgeBaseError as exc:
            if exc.items:
                return [_said(problem, relative) for problem in exc.items]
            return [_own_terms(line, relative) for line in exc.problems]
    return []


def _scratch_copy(kb: Path, copy: Path, relative: str) -> Path:
    """Lay out `copy` as `kb` with `relative` (`kb/facts/<area>/<name>.yaml`) free to write;
    return that path. Hidden entries are left out, as the loader skips them."""
    area_path = Path(relative).relative_to("kb").parent
    own = copy / area_path
    own.mkdir(parents=True)
    for folder in (kb, kb / "facts"):
        for entry in visible_entries(folder):
            place = copy / entry.relative_to(kb)
            if place not in (own.parent, own):
                _link(entry, place)
    for entry in visible_entries(kb / area_path):
        _link(entry, own / entry.name)
    target = copy / Path(relative).relative_to("kb")
    target.unlink(missing_ok=True)  # the link to the committed fact, never written through
    return target


def _link(entry: Path, place: Path) -> None:
    """A link to `entry` at `place`, or a copy where the system refuses links (Windows
    without the right to make them)."""
    try:
        place.symlink_to(entry, target_is_directory=entry.is_dir())
    except OSError:
        if entry.is_dir():
            shutil.copytree(entry, place, ignore=shutil.ignore_patterns(".*"))
        else:
            shutil.copy2(entry, place)


def _said(problem: Problem, relative: str) -> Said:
    """A problem of the proposed file as `line 12: problem`, of another file (a knowledge base
    the proposal breaks elsewhere) as `kb/...yaml:12: problem`; in the reader's language."""
    if problem.path != relative:
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        return Message.of("{where}: {problem}", where=where, problem=problem.message)
    if problem.line:
        return Message.of(N_("line {n}: {problem}"), n=problem.line, problem=problem.message)
    return problem.message


def _own_terms(line: str, relative: str) -> str:
    """`kb/facts/a/b.yaml:12: problem` -> `line 12: problem` for the proposed file."""
    if line.startswith(relative + ":"):
        rest = line[len(relative) + 1 :]
        number, _, message = rest.partition(":")
        if number.strip().isdigit():
            return f"line {number.strip()}: {message.strip()}"
        return rest.strip()
    return line
