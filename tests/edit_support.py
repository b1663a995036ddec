"""A web app on the `app_engine` database (SQLite or PostgreSQL) and signed-in clients by role."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from auth_support import make_user, sign_in
from azyl.accounts.roles import Role
from azyl.config import Settings
from azyl.web.app import create_app
from azyl.web.services import Services


def app_on(settings: Settings, engine: Engine) -> FastAPI:
    """An app whose application database is `engine` (one process's worth of caches)."""
    services = Services.from_settings(settings)
    services._cache["engine"] = engine
    return create_app(settings, services)


def client_as(app: FastAPI, engine: Engine, role: Role | None) -> TestClient:
    """A client signed in with a fresh account of `role` (None: an anonymous visitor)."""
    client = TestClient(app, raise_server_exceptions=False)
    if role is not None:
        name = f"{role.value}-user"
        from sqlalchemy import select

        from azyl.accounts.model import User
        from azyl.appdb import session_scope

        with session_scope(engine, commit=False) as db:
            exists = db.scalar(select(User).where(User.username == name)) is not None
        if not exists:
            make_user(engine, name, role)
        sign_in(client, name)
    return client


def form_of(document: dict[str, Any], base_version: int | None = None) -> dict[str, Any]:
    """The edit form's fields for a document (what a browser would post)."""
    fields: dict[str, Any] = {
        k: v for k, v in document.items()
        if isinstance(v, str) and k not in ("target", "sources", "tactics")
    }  # fmt: skip
    target = document["target"]
    fields["target_name"] = target.get("name") or ""
    fields["target_label"] = target.get("label") or ""
    fields["target_profiles"] = target.get("profiles", [])
    fields["tactics"] = document["tactics"]
    if document.get("relatives_targeted"):
        fields["relatives_targeted"] = "yes"
    for i, source in enumerate(document["sources"]):
        for key, value in source.items():
            fields[f"sources-{i}-{key}"] = value or ""
    if base_version is not None:
        fields["base_version"] = str(base_version)
    return fields
