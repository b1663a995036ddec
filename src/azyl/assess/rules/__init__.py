"""The screening rules. Importing this package registers every rule.

Modules by what their rules produce: `mechanisms` (hops of the pathway graph),
`removal_findings` and `circumstance_findings` (findings), `protective`
(protective arguments). `base` holds the registries and decorators.
"""

from azyl.assess.rules import (  # noqa: F401  (imported for registration)
    circumstance_findings,
    mechanisms,
    protective,
    removal_findings,
)
from azyl.assess.rules.base import (
    FINDING_RULES,
    MECHANISM_RULES,
    PROTECTIVE_RULES,
    Rule,
    RuleInfo,
    rule_info,
)

__all__ = ["FINDING_RULES", "MECHANISM_RULES", "PROTECTIVE_RULES", "Rule", "RuleInfo", "rule_info"]
