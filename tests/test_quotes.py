import pytest

from builder.source.markdown import make_markdown
from builder.source.quotes import QuoteResult, find_quote, normalize

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
    assert find_quote(MD, quote, BLOCKS) == QuoteResult(block, "")


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


@pytest.mark.parametrize(
    ("quote", "blocks", "block"),
    [
        # pieces are found from the start of the paragraph, in order, each after the last
        ("U.S. Defense ... North Korea", BLOCKS, 0),
        ("the ... cat", ["the cat saw the dog"], 0),
        # a quote across paragraphs (no ellipsis) belongs to the one where it starts:
        (
            "U.S. Defense Secretary Lloyd Austin confirmed on Wednesday that North Korea has "
            "sent soldiers. \u201cWhat",
            BLOCKS,
            0,
        ),  # at the very start of the first
        ("a b", ["x a", "b x a", "b y"], 0),  # the first of two places
        ("a b c", ["first para.", "It was a", "b c d."], 1),  # at the last letter of one
        ("b c d. e", ["first para.", "It was a", "b c d.", "e f"], 2),  # at the first of one
    ],
)
def test_where_a_quote_starts(quote: str, blocks: list[str], block: int) -> None:
    assert find_quote(MD, quote, blocks) == QuoteResult(block, "")


@pytest.mark.parametrize(
    ("quote", "blocks", "closest"),
    [
        ("...", BLOCKS, ""),  # nothing to look for
        ("x", [], ""),  # nowhere to look
        (
            "U.S. Defense Secretary Lloyd Austin denied",
            BLOCKS,
            "U.S. Defense Secretary Lloyd Austin confirmed",  # from the block's first letter
        ),
        ("Austin confirmd on Wednes", BLOCKS, "Austin confirmed on Wednesday"),  # whole words
        (
            "Lloyd Austin confirmed ... North Korea has sent sailors",
            BLOCKS,
            "Lloyd Austin confirmed on Wednesday that North Korea has",
        ),
        ("the cat sot", ["the cat sat", "the cat sit"], "the cat sat"),  # a tie: the first
    ],
)
def test_closest_passages(quote: str, blocks: list[str], closest: str) -> None:
    assert find_quote(MD, quote, blocks) == QuoteResult(None, closest)


def test_the_pieces_found_are_what_the_page_marks() -> None:
    """Normalised, without markup, split at the ellipsis (output/passages.py marks them)."""
    found = find_quote(
        MD, "Lloyd *Austin* \u2026 \u201cNorth Korea\u201d", ['Lloyd Austin said "North Korea".']
    )
    assert (found.block, found.pieces) == (0, ("Lloyd Austin", '"North Korea"'))


LONG = (
    "The council met on Tuesday evening to discuss the budget for the coming year, and "
    "after a long debate about roads, schools and the harbour, the mayor said the city "
    "would borrow 40 million euros to rebuild the old bridge before the winter storms "
    "arrive, a plan the opposition called reckless and expensive."
)


@pytest.mark.parametrize(
    ("quote", "blocks", "closest"),
    [
        # in the middle of a long paragraph, as long as the quote
        (
            "the mayor said the town would borrow 40 million euros to rebuild the bridge",
            [LONG],
            "the mayor said the city would borrow 40 million euros to rebuild the old bridge",
        ),
        ("b cx", ["ab cd"], "ab cd"),  # widened to whole words, back to the first letter
    ],
)
def test_closest_passages_in_long_paragraphs_and_at_the_edges(
    quote: str, blocks: list[str], closest: str
) -> None:
    assert find_quote(MD, quote, blocks) == QuoteResult(None, closest)
