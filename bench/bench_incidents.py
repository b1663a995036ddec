"""Benchmark: the screening engine's in-memory incident index against database queries.

The screening engine asks "incidents where origin X acted in host Y, for this
profile, as of this date" once per hop of every pathway it explores. This
compares, in the same process and on the same data, answering with
`find_incidents` (one SQL query each) and with `IncidentIndex.matching`
(loaded once), and reports the ratio. It also times an all-or-nothing import
against an export of the same registry.

The registry is the seed copied under new ids until it has --size incidents
(synthetic volume for timing only; nothing is written outside a temporary
directory).

    .venv/bin/python bench/bench_incidents.py [--size 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import tempfile
import time
from pathlib import Path

from _record import best_of
from azyl.appdb import make_engine, migrate, session_scope, utc_now
from azyl.config import load_settings
from azyl.incidents import export_incidents, find_incidents, import_incidents, load_incident_index
from azyl.incidents.references import catalogue_for
from azyl.incidents.seed import read_seed
from azyl.incidents.store import new_row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    settings = load_settings()
    seed, _, _ = read_seed(settings.incidents_seed, catalogue_for(settings), utc_now().date())
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        migrate(engine)
        now = utc_now()
        with session_scope(engine) as session:
            for n in range(args.size):
                record = seed[n % len(seed)]
                session.add(new_row(dataclasses.replace(record, id=f"{record.id}-{n}"), now, now))
        pairs = sorted({(r.origin, r.host) for r in seed if r.host is not None})

        def with_queries() -> None:
            for origin, host in pairs:
                find_incidents(engine, origin=origin, host=host)

        index = load_incident_index(engine)

        def with_index() -> None:
            for origin, host in pairs:
                index.matching(origin, host)

        db = best_of(args.repeat, with_queries)
        mem = best_of(args.repeat, with_index)
        load = best_of(args.repeat, lambda: load_incident_index(engine))
        print(f"registry: {args.size} incidents, {len(pairs)} (origin, host) pairs per pass")
        print(f"find_incidents, one query per pair : {db * 1000:9.1f} ms per pass")
        print(f"IncidentIndex.matching             : {mem * 1000:9.3f} ms per pass")
        print(f"  ratio (queries / index)          : {db / mem:9.0f}x")
        print(
            f"load_incident_index (once)         : {load * 1000:9.1f} ms "
            f"= {load / db:.1f} passes of queries"
        )

        csv_path = Path(tmp) / "registry.csv"
        export = best_of(args.repeat, lambda: csv_path.write_bytes(export_incidents(engine, "csv")))
        times = []
        for n in range(args.repeat):
            target = make_engine(f"sqlite:///{Path(tmp) / f'import-{n}.sqlite3'}")
            migrate(target)
            start = time.perf_counter()
            import_incidents(target, csv_path, catalogue_for(settings))
            times.append(time.perf_counter() - start)
            target.dispose()
        imported = min(times)
        print(f"export to CSV                      : {export * 1000:9.1f} ms")
        print(
            f"import that CSV into an empty db   : {imported * 1000:9.1f} ms "
            f"= {imported / export:.1f}x the export (median of runs "
            f"{statistics.median(times) * 1000:.0f} ms)"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
