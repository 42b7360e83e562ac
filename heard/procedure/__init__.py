"""The procedure core: working days, deadlines and the rules they come from.

Pure Python, no Django, no database and no clock of its own: callers pass today and the
holidays. A test imports every module here with Django absent to keep it that way.
"""

from heard.procedure.bank_holidays import england_and_wales_bank_holidays
from heard.procedure.calendar import (
    DEFAULT_COUNTING,
    CountingRule,
    Explanation,
    WorkingCalendar,
    format_date,
)
from heard.procedure.rules import (
    NoRuleInForce,
    Override,
    PackError,
    Procedure,
    ProcedureVersion,
    RuleBook,
    RuleNote,
    Step,
    UnknownProcedure,
    UnknownStep,
    load_rulebook,
)

__all__ = [
    "DEFAULT_COUNTING",
    "CountingRule",
    "Explanation",
    "NoRuleInForce",
    "Override",
    "PackError",
    "Procedure",
    "ProcedureVersion",
    "RuleBook",
    "RuleNote",
    "Step",
    "UnknownProcedure",
    "UnknownStep",
    "WorkingCalendar",
    "england_and_wales_bank_holidays",
    "format_date",
    "load_rulebook",
]
