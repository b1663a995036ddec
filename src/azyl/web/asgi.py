"""`azyl.web.asgi:app`: the application built from the environment's settings.

For ASGI servers started outside `azyl serve` (several workers, a process
manager): `uvicorn azyl.web.asgi:app`.
"""

from azyl.config import load_settings
from azyl.web.app import create_app

app = create_app(load_settings())
