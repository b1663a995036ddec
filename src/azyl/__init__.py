"""azyl: evidence and chain-refoulement screening for exiles from the former Soviet Union.

Data flows one way: sources -> store -> (kb, incidents) -> assess -> reports -> web / cli.
See docs/architecture.md.
"""

__version__ = "0.1.0"
