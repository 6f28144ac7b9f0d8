"""Headlines an editor keeps (issue 12): a headline starts at a word, names its subject,
keeps the words that change its meaning and ends at a word. The sentences are invented."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from timeline import tag
from timeline.events.anchoring import Anchor, anchor_events
from timeline.events.headlines import HEADLINE_WORDS
from timeline.events.words import past_dateline

PUBLISHED = "2021-07-17"

# (text, the time reference, the headline of its event)
STARTS_AT_A_WORD = [
    (
        '"We will rebuild the bridge," the mayor said on Friday.',
        "Friday",
        "The mayor said on Friday",
    ),
    ("``We stay,'' the coach said Sunday.", "Sunday", "The coach said Sunday"),
    (
        "- The central bank raised its main interest rate on Thursday.",
        "Thursday",
        "The central bank raised its main interest rate on Thursday",
    ),
    (
        "(The ministry later withdrew the order on Tuesday.)",
        "Tuesday",
        "The ministry later withdrew the order on Tuesday",
    ),
]
NO_LEADING_NUMBER = [
    (
        "Maria Lopez, 41, was elected mayor on Sunday.",
        "Sunday",
        "Maria Lopez was elected mayor on Sunday",
    ),
    (
        "The fund's chairman, Ana Ruiz, 63, retired on Wednesday.",
        "Wednesday",
        "The fund's chairman retired on Wednesday",
    ),
    (
        "The council hired 1,200 teachers on Monday.",
        "Monday",
        "The council hired 1,200 teachers on Monday",
    ),
    (
        "The airline carried 2,400,000 passengers in 2019.",
        "2019",
        "The airline carried 2,400,000 passengers in 2019",
    ),
]
NAMES_ITS_SUBJECT = [
    (
        "The company cut 300 jobs in May, and on Friday announced a new chief executive.",
        "Friday",
        "The company on Friday announced a new chief executive",
    ),
    (
        "The storm destroyed the pier, and on Sunday damaged the lighthouse.",
        "Sunday",
        "The storm on Sunday damaged the lighthouse",
    ),
    (
        "The museum, which opened in 1998, closed its doors on Monday.",
        "1998",
        "The museum opened in 1998",
    ),
    (
        "The bridge, built in 1968, collapsed on March 14.",
        "March 14",
        "The bridge collapsed on March 14",
    ),
    (
        "The firm, hammered by higher costs, posted a loss on Friday.",
        "Friday",
        "The firm posted a loss on Friday",
    ),
    (
        "She finished behind Tomas Rey, who conceded defeat on Sunday night.",
        "Sunday night",
        "Tomas Rey conceded defeat on Sunday night",
    ),
    (
        "Police are searching the ruins of a bridge near Lyon that collapsed last month.",
        "last month",
        "A bridge near Lyon collapsed last month",
    ),
    (
        "Under the new contract, which runs until 2028, workers will get a bonus.",
        "2028",
        "The new contract runs until 2028",
    ),
    (
        "The bakery, which never closed in the war, was sold on Monday.",
        "Monday",
        "The bakery was sold on Monday",
    ),
    (
        "LISBON, March 14 (Wire) - The president dissolved parliament on Wednesday and"
        " called an election for May 19.",
        "May 19",
        "The president called an election for May 19",
    ),
    (
        "OSLO (Wire) -- The ferry operator said on Monday it would sell two ships and"
        " close its northern route by the end of June.",
        "the end of June",
        "The ferry operator would close its northern route by the end of June",
    ),
    (
        "On Sunday the senator told voters that taxes would fall, repeating a promise of his"
        " speech in Dallas in May.",
        "May",
        "The senator repeated a promise of his speech in Dallas in May",
    ),
    (
        "Madrid won on Saturday, keeping alive their hopes of catching leaders Barcelona,"
        " who drew with Getafe on Sunday.",
        "Sunday",
        "Barcelona drew with Getafe on Sunday",
    ),
    (
        "Her brother Delfin, who was jailed in the 1960s, left.",
        "the 1960s",
        "Her brother Delfin was jailed in the 1960s",
    ),
    (
        "A runoff in Georgia, if needed, would be held on Dec. 6.",
        "Dec. 6",
        "A runoff would be held on Dec. 6",
    ),
    (
        "Moreover, the firm, whose lone approach nearly failed, now sees growth in 2025.",
        "2025",
        "The firm now sees growth in 2025",
    ),
    (
        "The last snap election, in 2022, was triggered by a failed budget.",
        "2022",
        "The last snap election in 2022 was triggered by a failed budget",
    ),
    (
        "Born in Seville in 1931, she moved to Madrid.",
        "1931",
        "She was born in Seville in 1931",
    ),
    (
        "Arrested in May, they were freed on bail in June.",
        "May",
        "They were arrested in May",
    ),
    (
        "Troops crossed the border from Crimea, which Russia annexed in 2014, in the south.",
        "2014",
        "Russia annexed Crimea in 2014",
    ),
    (
        "The plant, which the company sold to Acme in 2019, closed.",
        "2019",
        "The company sold the plant to Acme in 2019",
    ),
    (
        "He was arrested in March last year and suspended the following day.",
        "the following day",
        "He was suspended the following day",
    ),
    (
        "Online sales will overtake stores, according to the group's outlook, published in"
        " October.",
        "October",
        "The group's outlook published in October",
    ),
    (
        "The phones go on sale on Sept. 20, with pre-orders starting this Friday.",
        "this Friday",
        "Pre-orders starting this Friday",
    ),
    (
        "King Hussein carried a message from Saddam, with whom the king met Monday.",
        "Monday",
        "With whom the king met Monday",
    ),
    (
        "Ortega, a retired nurse, was honoured on Saturday.",
        "Saturday",
        "Ortega was honoured on Saturday",
    ),
    (
        "The governor -- a former judge -- was sworn in on Monday.",
        "Monday",
        "The governor was sworn in on Monday",
    ),
    (
        "The police said the suspect, a 30-year-old driver, was arrested on Tuesday.",
        "Tuesday",
        "The suspect was arrested on Tuesday",
    ),
    (
        "Rescued on Tuesday by a fishing crew, the sailor has returned home.",
        "Tuesday",
        "The sailor was rescued on Tuesday by a fishing crew",
    ),
    (
        "However, stopped by state police in May for speeding, the judge resigned.",
        "May",
        "The judge stopped by state police in May for speeding",
    ),
    (
        "Fined in March for speeding, running a light and parking in a bus lane, the mayor"
        " paid at once.",
        "March",
        "The mayor fined in March for speeding",
    ),
    (
        "Warned by the bank in June about its debts, Ana Ruiz, 63, sold the farm.",
        "June",
        "Ana Ruiz was warned by the bank in June about its debts",
    ),
    (
        "The farmers, who had not been paid since March, blocked the road on Friday.",
        "March",
        "The farmers had not been paid since March",
    ),
]
KEEPS_MEANING_WORDS = [
    (
        "The minister resigned before the parliament voted on Friday.",
        "Friday",
        "Before the parliament voted on Friday",
    ),
    (
        "After the vote on Friday, the mayor resigned.",
        "Friday",
        "After the vote on Friday, the mayor resigned",
    ),
    (
        "Since 2015, the firm has opened six plants.",
        "2015",
        "Since 2015, the firm has opened six plants",
    ),
    ("The ferry did not sail until Thursday.", "Thursday", "The ferry did not sail until Thursday"),
    (
        "The city council and the members of its new budget committee will surely not close the "
        "old library in the town centre this year.",
        "this year",
        "The city council and the members of its new budget committee will surely not close …",
    ),
]
ENDS_AT_A_WORD = [
    (
        "The regional health authority and the city hospital signed a new contract for the care "
        "of elderly patients on Monday.",
        "Monday",
        "The regional health authority and the city hospital signed a new contract …",
    ),
    (
        'On Friday the union leader told the crowd: "We will strike for as long as it takes and '
        'every single worker will be paid in full."',
        "Friday",
        "On Friday the union leader told the crowd: We will strike for as long …",
    ),
    (
        "The committee met on Monday to discuss the plans of the city council for the new harbour "
        "and the old bridge.",
        "Monday",
        "The committee met on Monday to discuss the plans of the city council …",
    ),
]
EVERY_CASE = STARTS_AT_A_WORD + NO_LEADING_NUMBER + NAMES_ITS_SUBJECT + KEEPS_MEANING_WORDS
EVERY_CASE += ENDS_AT_A_WORD


def anchor_of(text: str, reference: str) -> Anchor:
    """The anchor of the time reference ``reference`` of ``text``."""
    anchors = {a.mention.text: a for a in anchor_events(text, tag(text, PUBLISHED))}
    assert reference in anchors, f"the tagger did not find {reference!r}: {sorted(anchors)}"
    return anchors[reference]


@pytest.mark.parametrize(("text", "reference", "headline"), STARTS_AT_A_WORD)
def test_a_headline_starts_at_a_word(text: str, reference: str, headline: str) -> None:
    assert anchor_of(text, reference).headline == headline


@pytest.mark.parametrize(("text", "reference", "headline"), NO_LEADING_NUMBER)
def test_a_headline_starts_at_no_number_that_cuts_a_name_off(
    text: str, reference: str, headline: str
) -> None:
    assert anchor_of(text, reference).headline == headline


@pytest.mark.parametrize(("text", "reference", "headline"), NAMES_ITS_SUBJECT)
def test_a_clause_without_a_subject_borrows_its_sentences(
    text: str, reference: str, headline: str
) -> None:
    assert anchor_of(text, reference).headline == headline


@pytest.mark.parametrize(("text", "reference", "headline"), KEEPS_MEANING_WORDS)
def test_a_headline_keeps_the_words_that_change_its_meaning(
    text: str, reference: str, headline: str
) -> None:
    assert anchor_of(text, reference).headline == headline


@pytest.mark.parametrize(("text", "reference", "headline"), ENDS_AT_A_WORD)
def test_a_headline_cut_short_ends_at_a_word(text: str, reference: str, headline: str) -> None:
    found = anchor_of(text, reference).headline
    assert found == headline
    assert found.endswith(" …")
    assert len(found.split()) <= HEADLINE_WORDS + 1


def test_a_subordinator_before_a_verb_stays_rather_than_lend_the_wrong_subject() -> None:
    text = "The minister answered when asked on Thursday about the strike."
    headline = anchor_of(text, "Thursday").headline
    assert headline.startswith("When asked on Thursday")


@pytest.fixture(scope="module")
def benchmark(repo_root: Path) -> ModuleType:
    """``benchmarks/headlines.py``, whose ``headline_faults`` the editorial benchmark uses."""
    spec = importlib.util.spec_from_file_location(
        "headlines_benchmark", repo_root / "benchmarks" / "headlines.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("text", "reference", "headline"), EVERY_CASE)
def test_the_benchmark_finds_no_fault_in_these_headlines(
    benchmark: ModuleType, text: str, reference: str, headline: str
) -> None:
    anchor = anchor_of(text, reference)
    faults: Callable[[str, str], list[str]] = benchmark.headline_faults
    assert faults(anchor.headline, anchor.sentence.text) == []


@pytest.mark.parametrize(
    ("headline", "sentence", "rule"),
    [
        ("'' Adams said Sunday", "``We stay,'' Adams said Sunday.", "starts_off_word"),
        ("54, was arrested on Friday", "John Smith, 54, was arrested on Friday.", "leading_number"),
        (
            "On Friday announced a new plan",
            "The firm cut jobs, and on Friday announced a new plan.",
            "no_subject",
        ),
        (
            "The parliament voted on Friday",
            "The minister resigned before the parliament voted on Friday.",
            "dropped_meaning_word",
        ),
        (
            "The mayor said the city would extend its ban on cars in the old town to …",
            "The mayor said the city would extend its ban on cars in the old town to all streets.",
            "ends_off_word",
        ),
        (
            "The envoys met on Friday, “",
            "The envoys met on Friday, “hoping for peace.”",
            "ends_off_word",
        ),
    ],
)
def test_the_benchmark_names_the_rule_a_headline_breaks(
    benchmark: ModuleType, headline: str, sentence: str, rule: str
) -> None:
    faults: Callable[[str, str], list[str]] = benchmark.headline_faults
    assert rule in faults(headline, sentence)


@pytest.mark.parametrize(
    ("text", "reference", "headline"),
    [
        (
            "In an interview in October, she said the firms would walk away.",
            "October",
            "In an interview in October, she said the firms would walk away",
        ),
        (
            "In Sunday's debate, the senator attacked his rival over taxes.",
            "Sunday",
            "In Sunday's debate, the senator attacked his rival over taxes",
        ),
        (
            "At a summit in July 1997, the alliance invited three countries to join.",
            "July 1997",
            "At a summit in July 1997, the alliance invited three countries to join",
        ),
    ],
)
def test_a_headline_without_a_verb_goes_on_to_the_clause_after_it(
    text: str, reference: str, headline: str
) -> None:
    assert anchor_of(text, reference).headline == headline


@pytest.mark.parametrize(
    ("text", "reference", "headline"),
    [
        (
            "Coach Paolo Rizzi will take charge of training on Tuesday and lead the team"
            " against Napoli on Saturday.",
            "Saturday",
            "Coach Paolo Rizzi will lead the team against Napoli on Saturday",
        ),
        (
            "Coach Paolo Rizzi will take charge of training on Tuesday and lead the team"
            " against Napoli on Saturday.",
            "Tuesday",
            "Coach Paolo Rizzi will take charge of training on Tuesday",
        ),
        (
            "Protesters planned a rally in the park on Saturday and were planning to march"
            " to the airport on Monday.",
            "Monday",
            "Protesters were planning to march to the airport on Monday",
        ),
    ],
)
def test_verb_phrases_joined_with_dates_of_their_own_are_headlines_of_their_own(
    text: str, reference: str, headline: str
) -> None:
    assert anchor_of(text, reference).headline == headline


@pytest.mark.parametrize(
    ("text", "sentence", "opens"),
    [
        ("LISBON, March 14 (Wire) - The president resigned.", 0, "The president"),
        ("KABUL, Afghanistan (AP) -- Talks resumed.", 0, "Talks resumed"),
        ("WASHINGTON _ The economy grew.", 0, "The economy"),
        ("(Wire) - A quake struck.", 0, "A quake"),
        # no dateline: a sentence that opens in lower case, or one after the story's first
        ("The U.S. - China talks resumed.", 0, "The U.S."),
        ("Talks resumed. PARIS - The talks moved on.", 15, "PARIS - The"),
    ],
)
def test_a_wire_dateline_is_no_part_of_the_first_sentence(
    text: str, sentence: int, opens: str
) -> None:
    assert text[past_dateline(text, sentence, len(text)) :].startswith(opens)


def test_a_holiday_named_before_which_is_its_clauses_subject() -> None:
    text = "The cabinet approved a holiday for Eid al-Fitr, which is expected to fall next week."
    assert anchor_of(text, "next week").headline == "Eid al-Fitr is expected to fall next week"
    text = "It bought shares issued July 1, which will receive a dividend next year."
    assert not anchor_of(text, "next year").headline.startswith("July 1")
