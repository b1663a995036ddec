"""Accounts: who may sign in to a shared azyl server, and with which role.

    Role.ADMIN       manages accounts, reads the audit log, does everything below
    Role.EDITOR      edits incidents and proposes knowledge-base changes
    Role.CASEWORKER  screens people and saves, shares and erases their own cases
    Role.VIEWER      reads public data only (statistics, knowledge base, public incidents)

The table lives in `azyl.accounts.model`; passwords, sessions, throttling and
second factors are in the modules beside it.
"""

from azyl.accounts.roles import Role

__all__ = ["Role"]
