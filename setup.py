"""Build hook for the two optional compiled modules; everything else is in pyproject.toml.

`azyl.store._flatparse` (C, no dependency beyond Python's headers) parses the
large Eurostat flat CSV about six times faster than the numpy reader, and makes
its series into cells (`_flatcells.c`);
`azyl.store._splitcsv` splits the small CSV files into dictionary-encoded
columns. Both are optional: without a C compiler or Python's headers the
install goes on and the build uses their numpy twins, which give the very same
store.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "azyl.store._flatparse",
            ["src/azyl/store/_flatparse.c", "src/azyl/store/_flatcells.c"],
            depends=["src/azyl/store/_flatparse.h"],
            extra_compile_args=["-O2"],
            optional=True,
        ),
        Extension(
            "azyl.store._splitcsv",
            ["src/azyl/store/_splitcsv.c"],
            extra_compile_args=["-O2"],
            optional=True,
        ),
    ]
)
