"""azyl: evidence and chain-refoulement screening for exiles from the former Soviet Union.

Data flows one way: sources -> store -> (kb, incidents) -> assess -> reports -> web / cli.
See docs/architecture.md.
"""

import os

__version__ = "0.1.0"

# numpy's OpenBLAS starts a worker thread per core when numpy is imported, and the
# workers spin for about a tenth of a second waiting for work that azyl never gives
# them (it does no linear algebra). In `azyl build`, which starts right after the
# imports, that took some 50 ms of processor time from the build's own threads
# (BENCHMARKS.md, "Statistics: earlier runs"). One BLAS thread, unless the user or
# the host process chose otherwise (or imported numpy first).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
