"""The indexed engine finds exactly what trying every rule at every token would find."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.tagger import compiler, index, regexwords
from timeline.tagger.compiler import Rule
from timeline.tagger.context import ASCII_LOWER
from timeline.tagger.lexicon import load_lexicon
from timeline.tagger.rulefiles import read_table, rule_files


def example_texts() -> list[str]:
    """Every example text of every rule table (the part before ``=>``)."""
    texts = []
    for name in rule_files():
        _, rows = read_table(name)
        for row in rows:
            for example in row["examples"].split("|"):
                text = example.partition("=>")[0].strip()
                if text:
                    texts.append(text)
    return texts


EXAMPLES = example_texts()


def found(
    candidates: list[tuple[int, int, Rule, re.Match[str]]],
) -> set[tuple[int, int, str]]:
    return {(start, end, rule.name) for start, end, rule, _ in candidates}


def test_the_index_loses_no_match_on_the_rule_examples() -> None:
    for text in EXAMPLES:
        assert found(index.candidates(text)) == found(list(index.exhaustive_candidates(text))), text


def test_the_index_loses_no_match_on_the_seed_article(repo_root: Path) -> None:
    article = json.loads((repo_root / "seeds" / "doha-talks-2021-07-17.json").read_text("utf-8"))
    text = article["text"]
    indexed = found(index.candidates(text))
    assert indexed == found(list(index.exhaustive_candidates(text)))
    assert len(indexed) >= 10


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(EXAMPLES), min_size=1, max_size=4),
    st.sampled_from([" ", ", ", ". ", "\n\n", " and then "]),
)
def test_the_index_loses_no_match_on_mixed_examples(parts: list[str], glue: str) -> None:
    text = glue.join(parts)
    assert found(index.candidates(text)) == found(list(index.exhaustive_candidates(text)))


def test_prefixes_lists_the_starts_of_a_small_regex() -> None:
    assert regexwords.prefixes(re.compile(r"(?:the )?ab|cd", re.IGNORECASE), 3) == {
        "the",
        "ab",
        "cd",
    }
    assert regexwords.prefixes(re.compile(r"x\d", re.IGNORECASE), 2) == {
        f"x{d}" for d in "0123456789"
    }


def test_prefixes_gives_up_on_any_character() -> None:
    assert regexwords.prefixes(re.compile(r".a"), 2) is None
    assert regexwords.prefixes(re.compile(r"\w+"), 2) is None


def test_every_rule_example_holds_an_anchor_word() -> None:
    anchor = index.rule_index().anchor
    missing = [t for t in EXAMPLES if not anchor.search(t.translate(ASCII_LOWER))]
    assert not missing, missing


def test_word_trie_matches_exactly_its_words() -> None:
    regex = re.compile(regexwords.word_trie(["day", "daily", "days", "date", "now"]))
    for word in ["day", "daily", "days", "date", "now"]:
        assert regex.fullmatch(word), word
    for word in ["da", "dail", "no", "dayy", ""]:
        assert not regex.fullmatch(word), word


def test_the_anchor_trie_finds_what_the_anchor_rows_find() -> None:
    rows = re.compile(r"(?<!\w)" + load_lexicon().body("anchor") + r"(?!\w)")
    trie = index.rule_index().anchor
    text = " ".join(EXAMPLES).translate(ASCII_LOWER)
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in rows.finditer(text)]


def test_key_prefixes_shorten_only_what_is_too_varied() -> None:
    keys = regexwords.key_prefixes(r"(?:\d{1,3}|an?|two) (?:days?|weeks?) ago", re.IGNORECASE, 5)
    assert keys is not None
    assert {"a day", "a wee", "an da", "two d"} <= keys
    assert "0 day" in keys and "000 w" in keys  # digits are written 0, as key_of writes them
    assert regexwords.key_of("12 Days") == "00 days"


def test_key_prefixes_end_before_what_cannot_be_listed() -> None:
    assert regexwords.key_prefixes(r"the \w+ day", re.IGNORECASE, 8) == {"the "}
    assert regexwords.key_prefixes(r"\w+ day", re.IGNORECASE, 5) == {""}


def test_every_match_starts_with_one_of_its_keys() -> None:
    pattern = r"(?:about |some )?(?:\d{1,3}(?:\.\d+)?|a|one) (?:days?|hours?)"
    keys = regexwords.key_prefixes(pattern, re.IGNORECASE, 5)
    assert keys is not None and len(keys) <= 1000
    for text in ["about 12.5 hours", "some 3 days", "a day", "one hour", "999 days"]:
        key = regexwords.key_of(text[:5])
        assert any(key.startswith(k) for k in keys), text


def window_tokens(text: str, at: int) -> list[int]:
    """The last tokens before ``at`` read from the whole window, as the index did at first."""
    low = max(0, at - index.LOOKBACK_CHARS)
    starts = [m.start() for m in index.TOKEN.finditer(text, low, at)]
    if starts and starts[0] == low and low > 0 and text[low - 1].isalnum():
        starts.pop(0)
    return starts[-index.LOOKBACK :]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab1 2:.,\n'-\u00a0", max_size=120), st.integers(0, 120))
def test_the_near_window_finds_the_tokens_the_whole_window_finds(text: str, at: int) -> None:
    at = min(at, len(text))
    assert index.tokens_before(text, at) == window_tokens(text, at)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "a",
                "bc",
                "1",
                "22",
                " ",
                "  ",
                ".",
                ":",
                ",",
                "-",
                "\n",
                "\u00e9",
                "U.S.",
                "10:30",
                "p.m.",
                "'s",
                "x.y",
                "\u00a0",
                "_",
                "\u0663",
                "(",
            ]
        ),
        max_size=60,
    ),
    st.integers(0, 200),
)
def test_the_tokens_read_backwards_are_those_the_window_finds(parts: list[str], at: int) -> None:
    text = "".join(parts)
    at = min(at, len(text))
    assert index.tokens_before(text, at, text[::-1]) == window_tokens(text, at)


def test_a_token_that_holds_a_mark_is_read_as_the_window_reads_it() -> None:
    # "10:30", "U.S." and "p.m." are one token each, which read backwards would be three
    # or four: the tokens before such a place are read forwards.
    lead = "In a statement issued late in the evening, officials said that "
    for tail in ["they met at 10:30 on Friday", "the U.S. envoy left Friday", "at 5 p.m. Friday"]:
        text = lead + tail
        at = text.index("Friday")
        assert index.tokens_before(text, at, text[::-1]) == window_tokens(text, at), tail


def test_the_near_window_on_the_seed_article(repo_root: Path) -> None:
    article = json.loads((repo_root / "seeds" / "doha-talks-2021-07-17.json").read_text("utf-8"))
    text = article["text"]
    for at in range(0, len(text), 7):
        assert index.tokens_before(text, at) == window_tokens(text, at), at
        assert index.tokens_before(text, at, text[::-1]) == window_tokens(text, at), at


def test_white_space_and_digits_of_any_script_start_the_same_rules() -> None:
    for text in ["a\u00a0day ago", "2\u2009weeks ago", "\u0663 days ago", "a\tday ago"]:
        assert found(index.candidates(text)) == found(list(index.exhaustive_candidates(text)))
        assert found(index.candidates(text)), text
    assert regexwords.key_of("A\u00a0Day \u0663") == "a day 0"


def test_the_letters_that_match_ascii_ones_without_case_are_all_known() -> None:
    letter = re.compile("[a-z]", re.IGNORECASE)
    folds = [chr(c) for c in range(128, 0x110000) if letter.match(chr(c))]
    assert sorted(folds) == sorted(regexwords.ASCII_FOLDS)
    text = "\u017feveral days"  # a key holding one tries every rule: none is lost
    assert found(index.candidates(text)) == found(list(index.exhaustive_candidates(text)))
    assert found(index.candidates(text))


def finditer_starts(text: str) -> list[int]:
    """Where the anchor regex's own ``finditer`` finds the anchor words of ``text``."""
    return [m.start() for m in index.rule_index().anchor.finditer(text.translate(ASCII_LOWER))]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(EXAMPLES), min_size=1, max_size=4),
    st.sampled_from([" ", "", "-", "\u2014", "\u201c", "\u00e9", "_", "\u00a0", "\n", "'"]),
)
def test_the_anchor_scans_find_what_the_anchor_regex_finds(parts: list[str], glue: str) -> None:
    text = glue.join(parts).translate(ASCII_LOWER)
    assert index.rule_index().anchor_starts(text) == finditer_starts(text)


def test_an_anchor_inside_another_is_left_out_as_finditer_leaves_it() -> None:
    # No anchor word of the lexicon holds another after a mark; a regex whose words do
    # ("a-b" holds "b") makes the scans overlap, and the text is scanned as before.
    known = index.rule_index()
    anchor = re.compile(r"(?<!\w)(?:a-b|b)(?!\w)")
    toy = index.RuleIndex(
        {},
        (),
        (),
        anchor.pattern,
        (),
        re.compile(r" (?:a-b|b)(?!\w)"),
        re.compile(r"[^0-9A-Za-z_ ](?<!\w)(?:a-b|b)(?!\w)"),
    )
    for text in ["a-b", "x a-b b", "é-b (b a-b", "a-bb -b"]:
        assert toy.anchor_starts(text) == [m.start() for m in anchor.finditer(text)], text
    assert known.anchor_starts("\u00e9friday -friday") == [9]


def test_the_rules_at_a_place_are_those_of_every_prefix_it_begins_with() -> None:
    known = index.rule_index()
    starts = {
        rule.order: regexwords.key_prefixes(rule.pattern, compiler.FLAGS, index.PREFIX)
        for rule in known.every
    }
    texts = [t.translate(ASCII_LOWER) for t in EXAMPLES] + ["the pres", "said on", ", 2003", "x"]
    for text in texts:
        key = text[: index.PREFIX]
        folded = regexwords.key_of(key)
        expected = {
            order
            for order, prefixes in starts.items()
            if prefixes is None or any(folded.startswith(p) for p in prefixes)
        }
        assert {rule.order for rule in known.rules_at(key)} == expected, key
