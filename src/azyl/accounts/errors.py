"""The errors accounts raise; the web layer and the CLI map them by `code` and `http_status`."""

from __future__ import annotations

from azyl.errors import AzylError, InputError


class WeakPassword(InputError):
    """A new password that does not meet the policy (too short)."""

    code = "weak_password"


class SignInRequired(AzylError):
    """The route needs a signed-in user and there is none."""

    code = "sign_in_required"
    http_status = 401


class Forbidden(AzylError):
    """The signed-in user's role does not include what the route needs."""

    code = "forbidden"
    http_status = 403


class CsrfFailed(AzylError):
    """A state-changing request without the form's or the session's CSRF token."""

    code = "csrf_failed"
    http_status = 403


class Throttled(AzylError):
    """Too many failed sign-ins for this account or this address; says when to retry."""

    code = "too_many_attempts"
    http_status = 429
