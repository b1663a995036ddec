"""Request dependencies shared by the API and the pages."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query, Request
from sqlalchemy import Engine

from azyl.config import Settings
from azyl.web.i18n import COOKIE, negotiate
from azyl.web.services import Services


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_language(
    request: Request,
    lang: Annotated[Literal["en", "ru"] | None, Query(description="Interface language.")] = None,
) -> str:
    """The request's language: ?lang=, the cookie, Accept-Language, then the setting."""
    settings = get_settings(request)
    return negotiate(
        lang, request.cookies.get(COOKIE), request.headers.get("accept-language"), settings.language
    )


def get_app_engine(request: Request) -> Engine:
    """The application database (accounts, cases, incidents, audit log)."""
    engine: Engine = get_services(request).app_engine()
    return engine


Lang = Annotated[str, Depends(get_language)]
AppEngine = Annotated[Engine, Depends(get_app_engine)]
Svc = Annotated[Services, Depends(get_services)]
