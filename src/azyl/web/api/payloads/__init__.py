"""What the JSON API answers, as pydantic models: one module per API area.

The routes still build their answers from the library's plain data (`ok()`
serialises it with pydantic-core directly, faster than validating it through the
models); these models are the documented contract of that data. They give
/api/openapi.json every payload's properties, and tests/test_api_openapi.py
checks real answers of every route against them.
"""
