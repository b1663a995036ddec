#!/usr/bin/env python3
"""Fuzz the two compiled parsers under AddressSanitizer, against their numpy twins.

    .venv/bin/python scripts/fuzz_compiled.py [--cases 20000] [--seed 1]

The publishers' files reach C code (`azyl.store._splitcsv`, `azyl.store._flatparse`),
and a file downloaded online could be damaged or tampered with. This builds both
modules again with `-fsanitize=address,undefined` into a temporary folder, then, in
a child process that preloads the sanitizer runtime, feeds them real lines of the
mirror's files cut, spliced and corrupted at random. Any out-of-bounds read or
write, use after free or undefined behaviour stops the child with the
sanitizer's report; any answer that differs from the numpy twin's is printed (for
the flat file: its lines parsed, then made into cells, or the reason they are not).
Exit status 0 means no report and no difference. Needs gcc and Python's headers.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "src" / "azyl" / "store"
#: Each module's C files.
MODULES = {"_splitcsv": ("_splitcsv.c",), "_flatparse": ("_flatparse.c", "_flatcells.c")}
FLAGS = ["-O1", "-g", "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-shared", "-fPIC"]


def build(folder: Path) -> None:
    """Compile both modules with the sanitizers into `folder` (loaded there by path)."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    include = sysconfig.get_paths()["include"]
    for name, sources in MODULES.items():
        out = folder / f"{name}{suffix}"
        subprocess.run(["gcc", *FLAGS, f"-I{include}", *(str(STORE / c) for c in sources),
                        "-o", str(out)], check=True)  # fmt: skip


def runtime() -> str:
    """The path of gcc's AddressSanitizer runtime, to preload into Python."""
    path = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True,
                          text=True, check=True).stdout.strip()  # fmt: skip
    return path


CHILD = r"""
import glob, importlib.util, random, sys
from azyl.store import flatcsv, flatseries, splitcsv

HEADER = ["freq", "unit", "citizen", "sex", "age", "asyl_app", "geo", "TIME_PERIOD", "values"]
ROLES = {"citizen": "citizen", "sex": "sex", "age": "age", "asyl_app": "category", "geo": "geo"}
# What only the compiled parser refuses: years far from the file's first, too many codes.
ONLY_COMPILED = {"years more than 63 apart",
                 "more than 65,535 codes in one dimension (or out of memory)"}

def load(name):
    (path,) = glob.glob(f"{sys.argv[1]}/{name}.*")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

asan_split, asan_flat = load("_splitcsv"), load("_flatparse")
cases, seed = int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
from azyl.store.decompress import decompressed_file
mirror = sys.argv[4]
unhcr = decompressed_file(__import__("pathlib").Path(mirror) /
    "unhcr/PopulationStatistics_refugees/asylum_decisions.derived.csv.gz")[:400_000]
flat = decompressed_file(__import__("pathlib").Path(mirror) /
    "eurostat/bgautijonsson_asylum/migr_asyappctza_2024-01-18.derived.csv.gz")[:400_000]
ALPHABET = b',"\n\r\x00 0123456789abcAZ:-.;'

def mutate(data):
    data = bytearray(data)
    for _ in range(rng.randint(0, 8)):
        op = rng.random()
        at = rng.randrange(len(data) + 1)
        if op < 0.4 and data:
            data[min(at, len(data) - 1)] = rng.choice(ALPHABET)
        elif op < 0.7:
            data[at:at] = bytes(rng.choice(ALPHABET) for _ in range(rng.randint(1, 6)))
        else:
            del data[at:at + rng.randint(1, 40)]
    return bytes(data)

def sample(source):
    lines = source.split(b"\n")
    header = lines[0]
    start = rng.randrange(1, len(lines) - 1)
    body = b"\n".join(lines[start:start + rng.randint(0, 60)])
    return header + b"\n" + mutate(body) + (b"\n" if rng.random() < 0.8 else b"")

differences = 0
flat_outcomes = {}
ncols = unhcr.split(b"\n", 1)[0].count(b",") + 1
for case in range(cases):
    data = sample(unhcr)
    start = data.index(b"\n") + 1
    modes = [rng.choice(list(splitcsv.Mode)) for _ in range(ncols)]
    outcomes = []
    for compiled in (asan_split, None):
        splitcsv._splitcsv = compiled
        try:
            s = splitcsv.split_columns(data, start, modes)
            outcomes.append(("ok", s.lines,
                {i: (c.codes.tolist(), c.values) for i, c in s.columns.items()},
                {i: n.tolist() for i, n in s.numbers.items()}))
        except splitcsv.NotSimple:
            outcomes.append(("declined",))
    if outcomes[0] != outcomes[1]:
        differences += 1
        print("splitter differs from its numpy twin on", repr(data[:300]), file=sys.stderr)
    block = sample(flat)
    stop = block.rfind(b"\n") + 1
    first = block.index(b"\n") + 1
    if first < stop:
        outcomes = []
        for compiled in (asan_flat, None):  # parse, then cells: compiled, then numpy
            flatseries._flatparse = compiled
            reader = flatseries.SeriesReader()
            try:
                reader.add(block, first, stop)
                series = reader.finish()
            except flatcsv.NotFlat as exc:  # the parsers may give different reasons
                outcomes.append(("not parsed", str(exc)))
                continue
            try:  # the cells must be the same, or refused for the same reason
                cells = flatcsv._cells(series, HEADER[:-2], ROLES)
                outcomes.append(("ok", {k: v.tolist() if hasattr(v, "tolist") else v
                                        for k, v in vars(cells).items()}))
            except flatcsv.NotFlat as exc:
                outcomes.append(("cells refused", str(exc)))
        flat_outcomes[outcomes[0][0]] = flat_outcomes.get(outcomes[0][0], 0) + 1
        if outcomes[0][0] == "not parsed" and (outcomes[1][0] == "not parsed"
                                               or outcomes[0][1] in ONLY_COMPILED):
            continue  # refused by both, or by the compiled parser's own rule (_flatparse.c)
        if outcomes[0] != outcomes[1]:
            differences += 1
            print("flat reader differs from its numpy twin on", repr(block[:300]),
                  outcomes[0][:2], outcomes[1][:2], file=sys.stderr)
print(f"{cases} cases, {differences} differences; flat samples: {flat_outcomes}",
      file=sys.stderr)
sys.exit(1 if differences else 0)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mirror", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder)
        env = {**os.environ, "LD_PRELOAD": runtime(),
               "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=1",
               "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1",
               "PYTHONPATH": str(ROOT / "src")}  # fmt: skip
        child = [sys.executable, "-c", CHILD, str(folder), str(args.cases), str(args.seed),
                 args.mirror]  # fmt: skip
        return subprocess.run(child, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
