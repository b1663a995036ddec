"""Reading a request body in ASGI middleware without losing it for the route.

A middleware that must look at a body (the CSRF token of a form, the nesting
of a JSON document) reads it whole, then hands the route a `receive` that
replays it.
"""

from __future__ import annotations

from starlette.types import Message, Receive


async def no_more() -> Message:
    """A `receive` for a body already read: the client has nothing more to send."""
    return {"type": "http.disconnect"}


async def read_body(receive: Receive) -> bytes:
    """The whole body of the request, from its `http.request` messages."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the route `body` first, then the real messages."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
