import pytest

from builder.source.markdown import make_markdown
from builder.source.quotes import find_quote, normalize

MD = make_markdown()
BLOCKS = [
    "U.S. Defense Secretary Lloyd Austin confirmed on Wednesday that North Korea has sent "
    "soldiers.",
    "“What exactly they’re doing [in Russia]? Left to be seen,” Austin told reporters. "
    "“All things that we’re trying to gain better fidelity on… if their intention is to "
    "participate in this war on Russia’s behalf, that is a very serious issue.”",
    "Exclusive – Newly obtained footage from Russia’s Sergievsky Training Ground.",
]


@pytest.mark.parametrize(
    ("quote", "block"),
    [
        ("Lloyd Austin confirmed on Wednesday", 0),
        ('"What exactly they\'re doing [in Russia]? Left to be seen,"', 1),  # straight quotes
        ("Exclusive - Newly obtained footage", 2),  # hyphen for an en dash
        ("Exclusive — Newly obtained   footage", 2),  # em dash, extra spaces
        ("*Left* to be **seen**", 1),  # Markdown markup in the quote is removed
        ("What exactly they’re doing ... Austin told reporters", 1),
        ("What exactly they’re doing […] Austin told reporters", 1),
        ("What exactly they’re doing … a very serious issue", 1),
        ("fidelity on… if their intention", 1),  # an ellipsis of the source itself
        ("sent soldiers. “What exactly", 0),  # across paragraphs, without ellipsis
    ],
)
def test_quotes_that_occur(quote: str, block: int) -> None:
    assert find_quote(MD, quote, BLOCKS).block == block


@pytest.mark.parametrize(
    "quote",
    [
        "lloyd austin confirmed",  # case counts
        "Lloyd Austin denied on Wednesday",
        "a very serious issue ... What exactly",  # pieces out of order
        "Lloyd Austin confirmed ... Sergievsky Training Ground",  # pieces in two paragraphs
    ],
)
def test_quotes_that_do_not_occur(quote: str) -> None:
    result = find_quote(MD, quote, BLOCKS)
    assert result.block is None
    assert result.closest


def test_closest_passage_is_the_nearest_window() -> None:
    result = find_quote(MD, "Lloyd Austin denied on Wednesday that", BLOCKS)
    assert result.closest == "Lloyd Austin confirmed on Wednesday that"


def test_normalize() -> None:
    assert normalize("“Curly” ‘quotes’ – and — dashes\n\tand ﬁ") == (
        "\"Curly\" 'quotes' - and - dashes and fi"
    )
