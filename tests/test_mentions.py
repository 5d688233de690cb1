from __future__ import annotations

import re

from markdown_it import MarkdownIt

from builder.source.document import parse_document
from builder.source.markdown import fill, make_markdown, render
from builder.source.mentions import AliasMatcher, MentionLinker

MD = make_markdown()
ENTITIES = {
    "north-korea": ["North Korea", "North Korean"],
    "south-korea": ["South Korea", "Korea"],
    "lloyd-austin": ["Lloyd Austin", "Austin"],
    "austin-texas": ["Austin"],
    "zelenskyy": ["Volodymyr Zelenskyy", "Зеленський"],
}


def matcher() -> AliasMatcher:
    return AliasMatcher((e, a) for e, aliases in ENTITIES.items() for a in aliases)


def found(text: str) -> list[str]:
    return [text[m.start : m.end] for m in matcher().find(text)]


def link(
    text: str, listed: frozenset[str] = frozenset(), md: MarkdownIt = MD
) -> tuple[str, MentionLinker]:
    doc = parse_document(md, text, 1)
    linker = MentionLinker(matcher(), listed)
    linker.run(doc)
    html = fill(render(md, doc.tokens), "/", lambda i: (f"/{i}/", i))
    return html, linker


def test_longest_match_wins() -> None:
    assert found("North Korea and South Korea") == ["North Korea", "South Korea"]
    assert found("North Korean troops") == ["North Korean"]


def test_word_boundaries_and_possessives() -> None:
    assert found("Koreans") == []
    assert found("Austin's remarks") == ["Austin"]
    assert found("Austintown") == []
    assert found("(Korea)") == ["Korea"]


def test_unicode_names() -> None:
    assert found("Президент Зеленський сказав") == ["Зеленський"]
    assert found("Зеленськийович") == []


def test_case_sensitive() -> None:
    assert found("north korea") == []


def test_first_mention_linked_and_every_mention_counted() -> None:
    html, linker = link("North Korea spoke. North Korea again.\n\nNorth Korea thrice.")
    assert html.count('href="/entities/north-korea/index.html"') == 1
    assert [m.entity for m in linker.mentions] == ["north-korea"] * 3
    assert [m.linked for m in linker.mentions] == [True, False, False]


def test_no_links_inside_headings_links_code_or_wikilinks() -> None:
    text = (
        "# North Korea\n\n[North Korea](https://x.org) `North Korea` [[south-korea|Korea]]"
        "\n\nThen North Korea."
    )
    html, linker = link(text)
    assert "<h2>North Korea</h2>" in html  # content headings start at h2
    assert '<a href="https://x.org">North Korea</a>' in html
    assert "<code>North Korea</code>" in html
    assert 'Then <a class="mention" href="/entities/north-korea/index.html">North Korea</a>' in html
    # the heading mention is counted but not linked; link, code and wikilink text are not
    assert [(m.entity, m.linked) for m in linker.mentions] == [
        ("north-korea", False),
        ("north-korea", True),
    ]


def test_ambiguous_alias_settled_by_entities_list() -> None:
    html, linker = link("Austin spoke.", frozenset({"lloyd-austin"}))
    assert 'href="/entities/lloyd-austin/index.html"' in html
    assert linker.ambiguities == []


def test_ambiguous_alias_unsettled_stays_plain_with_a_warning() -> None:
    html, linker = link("Austin spoke.")
    assert "<a" not in html
    assert [(a.alias, a.candidates) for a in linker.ambiguities] == [
        ("Austin", ("austin-texas", "lloyd-austin"))
    ]


def test_mention_offsets_point_into_block_text() -> None:
    doc = parse_document(MD, "Says *who*: Lloyd Austin, today.", 1)
    linker = MentionLinker(matcher(), frozenset())
    linker.run(doc)
    mention = linker.mentions[0]
    assert doc.blocks[0].text[mention.start : mention.end] == "Lloyd Austin"


def test_empty_matcher_finds_nothing() -> None:
    assert AliasMatcher([]).find("anything") == []
    assert AliasMatcher([("blank", "  ")]).find("a  b") == []


def test_rendering_leaves_page_dependent_parts_to_fill() -> None:
    """Markdown is rendered once; links to media and pages are completed per page."""
    doc = parse_document(MD, "[doc](media/a.pdf) ![chart](media/c.png) [[x]] [[y|Why]]", 1)
    html = render(MD, doc.tokens)
    assert html == render(MD, doc.tokens)
    titles = {"x": ("../../topics/x/index.html", "The X story")}
    page = fill(html, "../../", titles.get)
    assert 'href="../../media/a.pdf"' in page and 'src="../../media/c.png"' in page
    assert '<a href="../../topics/x/index.html">The X story</a>' in page
    assert " Why</p>" in page  # no such page: the text stays, unlinked
    assert "\x00" not in page


def test_overlapping_aliases_from_one_start_take_the_longest() -> None:
    times = AliasMatcher([("new-york", "New York"), ("nyt", "New York Times")])
    assert [m.alias for m in times.find("the New York Times said")] == ["New York Times"]
    assert [m.alias for m in matcher().find("North Korea")] == ["North Korea"]


def test_adjacent_matches_both_count() -> None:
    titles = AliasMatcher([("doctor", "Dr."), ("retired", "(Retd)")])
    assert [m.alias for m in titles.find("Dr.(Retd)")] == ["Dr.", "(Retd)"]


def test_word_boundaries_at_the_edges_and_underscores() -> None:
    assert found("xAustin") == [] and found("Austinx") == []
    assert found("_Austin") == [] and found("Austin_") == []
    assert found("Austin") == ["Austin"]


def test_mentions_record_block_offsets_and_what_was_linked() -> None:
    text = (
        "Intro.\n\n"
        "`code` *x* [Austin](https://a.org) [[south-korea|Korea]] North Korea, "
        "North Korea and South Korea.\n\n"
        "South Korea again."
    )
    html, linker = link(text)
    texts = [block.text for block in parse_document(MD, text, 1).blocks]
    assert [
        (m.entity, m.block, texts[m.block][m.start : m.end], m.linked) for m in linker.mentions
    ] == [
        ("north-korea", 1, "North Korea", True),
        ("north-korea", 1, "North Korea", False),
        ("south-korea", 1, "South Korea", False),  # the wikilink linked it already
        ("south-korea", 2, "South Korea", False),
    ]
    assert (
        '<a href="https://a.org">Austin</a> /south-korea/ '
        '<a class="mention" href="/entities/north-korea/index.html">North Korea</a>, '
        "North Korea and South Korea.</p>"
    ) in html.replace('<a href="/south-korea/">Korea</a>', "/south-korea/")


def test_linking_keeps_the_text_around_mentions() -> None:
    html, _ = link("Before North Korea and South Korea after.")
    assert html == (
        '<p id="p-1">Before <a class="mention" href="/entities/north-korea/index.html">'
        'North Korea</a> and <a class="mention" href="/entities/south-korea/index.html">'
        "South Korea</a> after.</p>\n"
    )


def test_an_unsettled_alias_does_not_stop_the_others() -> None:
    html, linker = link("Austin met North Korea.")
    assert 'href="/entities/north-korea/index.html"' in html
    assert [(a.alias, a.line) for a in linker.ambiguities] == [("Austin", 1)]
    html, linker = link("Intro.\n\nThen, on line 3, Austin spoke.")
    assert [(a.alias, a.line) for a in linker.ambiguities] == [("Austin", 3)]


def linked(html: str) -> list[str]:
    return re.findall(r'<a class="mention" href="/entities/([^/]+)/index.html">', html)


def test_no_mention_is_linked_inside_a_link_and_text_after_it_is() -> None:
    html, _ = link("[North Korea](https://a.org) and South Korea, then North Korea.")
    assert linked(html) == ["south-korea", "north-korea"]
    html, _ = link("`<a>` North Korea")  # HTML in code is text, not a link
    assert linked(html) == ["north-korea"]


def test_no_mention_is_linked_inside_a_link_written_in_html() -> None:
    text = '<a href="https://a.org">North Korea</A > and South Korea, then North Korea.'
    html, linker = link(text, md=make_markdown(allow_html=True))
    assert linked(html) == ["south-korea", "north-korea"]
    assert [(m.entity, m.linked) for m in linker.mentions] == [
        ("south-korea", True),  # the words of a link are the link's, not a mention
        ("north-korea", True),
    ]
