"""Whether a quote supports the figures it is cited for.

Once a quote is found in its article (`checks.check_quotes`), the claim is checked
against the quote: every number in a fact's `value`, and the year of
a relation's `since`/`until`, must occur in the quote. Numbers are compared with
their digits only, so "10,000", "10000" and "10 000" are one number. `as_of` is the
editor's dating and is not checked; `editorial: true` says the editor vouches for
the claim without the source.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostics
from .content import Fact, Relation
from .dates import PartialDate

# 1,500 / 10 000 / 2.5 / 600000; not the digits inside a word such as "F-16" or "G7"
NUMBER = re.compile(
    r"(?<![\w.,])(?<![A-Za-z]-)(?:\d{1,3}(?:[,\u00a0\u202f\u2009 ]\d{3})+|\d+)(?:\.\d+)?(?![\w])"
)
SEPARATORS = re.compile(r"[,\u00a0\u202f\u2009 ]")
VOUCH = "or mark it `editorial: true` if you vouch for it without the source"


def numbers(text: str) -> dict[str, str]:
    """The numbers of `text`, digits only -> as written."""
    return {SEPARATORS.sub("", m.group()): m.group() for m in NUMBER.finditer(text)}


def check_fact(fact: Fact, diags: Diagnostics) -> None:
    if fact.quote is None or fact.editorial:
        return
    quoted = numbers(fact.quote.value)
    for digits, written in numbers(fact.value).items():
        if digits not in quoted:
            diags.warning(
                fact.quote.loc,
                f"the quote does not contain {written}, which 'value' gives: quote the "
                f"sentence that does, {VOUCH}",
            )


def check_relation(relation: Relation, diags: Diagnostics) -> None:
    if relation.quote is None or relation.editorial:
        return
    quoted = numbers(relation.quote.value)
    dates: dict[str, PartialDate | None] = {"since": relation.since, "until": relation.until}
    for key, date in dates.items():
        if date is not None and str(date.year) not in quoted:
            diags.warning(
                relation.quote.loc,
                f"the quote does not contain {date.year}, the year '{key}' gives: quote a "
                f"sentence that does, {VOUCH}",
            )
