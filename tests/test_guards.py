"""The meaning guards: each family both ways, the registry, odd input, and the labelled pair set."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from gistcache.evaluators.guards import (
    GUARDS,
    MAX_CHARS,
    direction,
    entities,
    negation,
    numbers,
    output_format,
    timeframe,
    veto,
)

# (new question, cached question, exact outcome)
Case = tuple[str, str, str | None]

NEGATION: list[Case] = [
    ("How do I make pancakes without eggs?", "How do I make pancakes with eggs?",
     "negation: 'without' vs 'with'"),
    ("What foods can't I eat while pregnant?", "What foods can I eat while pregnant?",
     "negation: \"can't\" vs 'can'"),
    ("Which fruits are not safe for dogs?", "Which fruits are safe for dogs?",
     "negation: 'not' only in the new question"),
    ("Which fruits are safe for dogs?", "Which fruits are not safe for dogs?",
     "negation: 'not' only in the cached question"),
    ("What happens if I never pay my credit card bill?",
     "What happens if I pay my credit card bill late?",
     "negation: 'never' only in the new question"),
    ("In bash, how do I find all files except .log files?",
     "In bash, how do I find all .log files?", "negation: 'except' only in the new question"),
    ("Which cheeses are made from unpasteurized milk?",
     "Which cheeses are made from pasteurized milk?",
     "negation: 'unpasteurized' vs 'pasteurized'"),
    ("How do I run a Docker container as a non-root user?",
     "How do I run a Docker container as root?", "negation: 'non' only in the new question"),
    ("How do I bake gluten-free bread?", "How do I bake bread?",
     "negation: 'gluten free' only in the new question"),
    ("Wie mache ich Pfannkuchen ohne Eier?", "Wie mache ich Pfannkuchen mit Eiern?",
     "negation: 'ohne' only in the new question"),
    # both negated, in other words
    ("How can I find employment without any experience?",
     "How do I get a job with no experience?", None),
    # a misspelt or apostrophe-less negator is the same negation
    ("how to make bread wihtout a mixer", "How to make bread without a mixer", None),
    ("I cant login to my acount", "I can't log in to my account", None),
    # negations that say something about the asker or close a yes/no question
    ("Could you walk me through how to change a flat tire on a car? I've never done it before.",
     "How to change a flat tire", None),
    ("Should I learn Rust or not?", "Should I learn Rust?", None),
    ("How do I undo my last commit in Git without losing my changes?",
     "Git undo last commit but keep changes", None),
    ("What's a nice way to say no to an invitation?",
     "How do I politely decline an invitation?", None),
]

NUMBERS: list[Case] = [
    ("Convert 50 miles to kilometers", "Convert 5 miles to kilometers",
     "numbers: '50 miles' vs '5 miles'"),
    ("What's new in Python 3.12?", "What's new in Python 3.8?", "numbers: '3.12' vs '3.8'"),
    ("What's new in Python 3.1?", "What's new in Python 3.10?", "numbers: '3.1' vs '3.10'"),
    ("Who won the World Cup in 2020?", "Who won the World Cup in 2010?",
     "numbers: '2020' vs '2010'"),
    ("What are the top 10 programming languages?", "What are the top 3 programming languages?",
     "numbers: '10' vs '3'"),
    ("What is the 4th amendment about?", "What is the 2nd amendment about?",
     "numbers: '4th' vs '2nd'"),
    ("How long does it take to walk 5 miles?", "How long does it take to walk 5 km?",
     "numbers: '5 miles' vs '5 km'"),
    ("How many kilometers is a marathon?", "How many miles is a marathon?",
     "numbers: unit 'kilometers' vs 'miles'"),
    ("What's the probability with 4 dice?", "What's the probability with two dice?",
     "numbers: '4' vs 'two'"),
    ("Best laptop under 6k", "Best laptop under 60k", "numbers: '6 k' vs '60 k'"),
    # the same quantity in other words or units
    ("Convert five kilometers to miles", "Convert 5 km to miles", None),
    ("How many kilometers is ten miles?", "How many km is 10 miles?", None),
    ("Can I bake it for half an hour?", "Can I bake it for 30 minutes?", None),
    ("How many tablespoons in a quarter cup?", "How many tbsp in 1/4 cup?", None),
    ("What is the second largest country?", "What is the 2nd largest country?", None),
    ("Teach me to juggle three balls", "teach me how to juggle 3 balls", None),
    ("Best laptop under 60,000", "Best laptop under 60k", None),
    ("whats 15 percent of 200", "What is 15% of 200?", None),
    ("Is 62 miles a long bike ride?", "Is 100 km a long bike ride?", None),
    # not quantities: texting, a misspelt unit, digits inside a code
    ("how 2 boil an egg", "How do I boil an egg?", None),
    ("How many ounces in a poud?", "How many ounces in a pound?", None),
    ("What is the boiling point of H2O?", "What is the boiling point of water?", None),
]

ENTITIES: list[Case] = [
    ("What are the best things to do in Lyon?", "What are the best things to do in Paris?",
     "entities: 'Lyon' vs 'Paris'"),
    ("whats the difference between python and rust",
     "whats the difference between python and java", "entities: 'rust' vs 'java'"),
    ("How long does the iPhone 15 battery last?", "How long does the iPhone 14 battery last?",
     "entities: 'iPhone 15' vs 'iPhone 14'"),
    ("whats the capital of new zealand", "whats the capital of australia",
     "entities: 'new zealand' vs 'australia'"),
    ("What is the population of Austria?", "What is the population of Australia?",
     "entities: 'Austria' vs 'Australia'"),
    ("How do I read a file in JavaScript?", "How do I read a file in Java?",
     "entities: 'JavaScript' vs 'Java'"),
    ("How tall is K2?", "How tall is Mount Everest?", "entities: 'K2' vs 'Mount Everest'"),
    ("What size is A3 paper?", "What size is A4 paper?", "entities: 'A3' vs 'A4'"),
    # the same name abbreviated, expanded, misspelt or in another case
    ("Best pizza in New York City", "Best pizza in NYC", None),
    ("How do I declare a variable in JavaScript?", "How do I declare a variable in JS?", None),
    ("What is the minimum wage in the United States?", "What is the minimum wage in the USA?",
     None),
    ("How do I file taxes in the U.S. as a student?", "How do I file taxes in the US as a student?",
     None),
    ("If it's noon in Eastern Standard Time, what time is it in Pacific Standard Time?",
     "If it's noon in EST, what time is it in PST?", None),
    ("best resturants in Chicgo", "Best restaurants in Chicago", None),
    ("How tall is Mount Everest?", "How tall is Mt. Everest?", None),
    ("whats github", "What is GitHub?", None),
    ("What caused the Second World War?", "What caused WW2?", None),
    ("Why is my PlayStation 5 overheating?", "Why is my PS5 overheating?", None),
    ("How did Donald Trump win the election?", "How did Trump win the election?", None),
    # a name added, not replaced
    ("How can I center a div in CSS?", "how do i center a div", None),
    # "react" the verb is not React; German capitalises every noun
    ("How should India respond to the news?", "How should we react to the news?", None),
    ("Wie backe ich Kuchen ohne Eier?", "Wie mache ich Pfannkuchen ohne Eier?", None),
]

DIRECTION: list[Case] = [
    ("Convert Fahrenheit to Celsius", "Convert Celsius to Fahrenheit",
     "direction: 'fahrenheit to celsius' vs 'celsius to fahrenheit'"),
    ("How do I convert an int to a string in Python?",
     "How do I convert a string to an int in Python?",
     "direction: 'int to string' vs 'string to int'"),
    ("How many liters are in a cup?", "How many cups are in a liter?",
     "direction: 'liter to cup' vs 'cup to liter'"),
    ("How do I export data from Excel to a CSV file?",
     "How do I import data into Excel from a CSV file?", "direction: 'export' vs 'import'"),
    ("Sort a list in descending order", "Sort a list in ascending order",
     "direction: 'descending' vs 'ascending'"),
    ("What should I eat after a run?", "What should I eat before a run?",
     "direction: 'after' vs 'before'"),
    ("When is the best time to sell stocks?", "When is the best time to buy stocks?",
     "direction: 'sell' vs 'buy'"),
    ("How do I download files from Google Drive?", "How do I upload files to Google Drive?",
     "direction: 'download' vs 'upload'"),
    ("How to decode a base64 string", "How to encode a string to base64",
     "direction: 'decode' vs 'encode'"),
    ("How do I find the min value in an array?", "How do I find the max value in an array?",
     "direction: 'min' vs 'max'"),
    ("How do I decrease the font size?", "How do I increase the font size?",
     "direction: 'decrease' vs 'increase'"),
    ("How do I turn off dark mode?", "How do I turn on dark mode?",
     "direction: 'turn off' vs 'turn on'"),
    ("How do I log out of my account?", "How do I log in to my account?",
     "direction: 'log out' vs 'log in'"),
    # symmetric: "between X and Y", "X or Y", distance either way
    ("What is the difference between UDP and TCP?", "What is the difference between TCP and UDP?",
     None),
    ("How do I convert between Fahrenheit and Celsius?",
     "How do I convert between Celsius and Fahrenheit?", None),
    ("What is the difference between export and import?",
     "What is the difference between import and export?", None),
    ("How far is the Moon from the Earth?", "How far is it from the Earth to the Moon?", None),
    ("Is it better to buy or rent a house?", "Is it better to rent or buy a house?", None),
    ("Before running a marathon, what should I eat?",
     "What should I eat before running a marathon?", None),
]

FORMAT: list[Case] = [
    ("Show the planets as a poem", "Show the planets as a table", "format: 'poem' vs 'as a table'"),
    ("Explain photosynthesis in English", "Explain photosynthesis in French",
     "format: 'in english' vs 'in french'"),
    ("What is machine learning? Answer in Spanish.", "What is machine learning?",
     "format: 'in spanish' only in the new question"),
    ("Explain black holes to an expert", "Explain black holes to a child",
     "format: 'expert' vs 'child'"),
    ("Summarize the French Revolution in detail",
     "Summarize the French Revolution in one sentence",
     "format: 'in detail' vs 'in one sentence'"),
    ("Write a function to reverse a string in JavaScript",
     "Write a function to reverse a string in Python", "format: 'javascript' vs 'python'"),
    ("Write a limerick about autumn", "Write a haiku about autumn",
     "format: 'limerick' vs 'haiku'"),
    ("Write a horror story about a dragon", "Write a children's story about a dragon",
     "format: 'horror' vs \"children's story\""),
    ("Explain what a neural network is in simple terms",
     "Explain, in simple terms, what a neural network is", None),
    ("How do I declare a variable in JS?", "How do I declare a variable in JavaScript?", None),
    # asked in one question only: a detail the other answer can still satisfy
    ("Explain in detail how vaccines work", "Explain how vaccines work", None),
    ("Write a short story about the sea", "Write a story about the sea", None),
    ("Which words are capitalized in English?", "Which words are always capitalized in English?",
     None),
]

TIME: list[Case] = [
    ("What was the weather in Boston yesterday?", "What's the weather in Boston today?",
     "time: 'yesterday' vs 'today'"),
    ("What were the best movies of 2024?", "What were the best movies of 2023?",
     "time: '2024' vs '2023'"),
    ("Who was the president of France in 1990?", "Who is the current president of France?",
     "time: '1990' vs 'current'"),
    ("What's the forecast for next weekend?", "What's the forecast for this weekend?",
     "time: 'next weekend' vs 'this weekend'"),
    ("What should I plant in autumn?", "What should I plant in spring?",
     "time: 'autumn' vs 'spring'"),
    ("How did people communicate in the Middle Ages?", "How do people communicate today?",
     "time: 'middle ages' vs 'today'"),
    ("is mcdonalds open on christmas", "Is McDonald's open on Christmas Day?", None),
    ("How long does it take to walk 2 km?", "How long does it take to walk 2000 meters?", None),
    ("How do I boil an egg?", "Good morning! How do I boil an egg?", None),
    ("Can I drink this Wednesday?", "Can I drink on Wednesday?", None),
    ("What is the current population of India?", "What is the population of India?", None),
    ("I'm hosting a party this weekend, how long do I cook a steak?",
     "How long do I cook a steak?", None),
]


@pytest.mark.parametrize(("query", "candidate", "expected"), NEGATION)
def test_negation(query: str, candidate: str, expected: str | None) -> None:
    assert negation(query, candidate) == expected


@pytest.mark.parametrize(("query", "candidate", "expected"), NUMBERS)
def test_numbers(query: str, candidate: str, expected: str | None) -> None:
    assert numbers(query, candidate) == expected


@pytest.mark.parametrize(("query", "candidate", "expected"), ENTITIES)
def test_entities(query: str, candidate: str, expected: str | None) -> None:
    assert entities(query, candidate) == expected


@pytest.mark.parametrize(("query", "candidate", "expected"), DIRECTION)
def test_direction(query: str, candidate: str, expected: str | None) -> None:
    assert direction(query, candidate) == expected


@pytest.mark.parametrize(("query", "candidate", "expected"), FORMAT)
def test_format(query: str, candidate: str, expected: str | None) -> None:
    assert output_format(query, candidate) == expected


@pytest.mark.parametrize(("query", "candidate", "expected"), TIME)
def test_time(query: str, candidate: str, expected: str | None) -> None:
    assert timeframe(query, candidate) == expected


def test_registry_order_and_names() -> None:
    assert list(GUARDS) == ["negation", "numbers", "entities", "direction", "format", "time"]
    assert GUARDS["format"] is output_format
    assert GUARDS["time"] is timeframe


def test_veto_returns_the_first_guard_that_objects() -> None:
    # a negation and a swapped number: negation runs first
    assert veto("How do I not walk 5 km?", "How do I walk 50 km?") == \
        "negation: 'not' only in the new question"
    assert veto("How do I not walk 5 km?", "How do I walk 50 km?", enabled=["numbers"]) == \
        "numbers: '5 km' vs '50 km'"
    assert veto("Convert Celsius to Fahrenheit", "Convert Fahrenheit to Celsius",
                enabled=["negation", "numbers", "entities"]) is None
    assert veto("Convert Celsius to Fahrenheit", "Convert Fahrenheit to Celsius",
                enabled=[]) is None


def test_veto_passes_true_paraphrases() -> None:
    assert veto("whats the diff between let and const in js",
                "What is the difference between let and const in JavaScript?") is None
    assert veto("How many km is 10 miles?", "How many kilometers is ten miles?") is None


def test_unknown_guard_name_is_an_error() -> None:
    with pytest.raises(KeyError):
        veto("How do I boil an egg?", "How do I fry an egg?", enabled=["sarcasm"])


@pytest.mark.parametrize("name", list(GUARDS))
def test_odd_input_never_raises(name: str) -> None:
    guard = GUARDS[name]
    odd = ["", " ", "?", "¿¡", "🙂🙂", "0x", "1/0", "3.", "$", "°", "'s", "don't", "12,34,5",
           "如何做蛋糕？", "Как приготовить торт без яиц?", "ÉLÉPHANT", "a" * 10_000,
           "1 " * 3_000, "Ok. Ok. Ok.", "I.", "U.S.", "c++ c# .NET", "x\u00a0y\u2019s"]
    for a in odd:
        for b in odd[:8]:
            result = guard(a, b)
            assert result is None or isinstance(result, str)


def test_empty_or_identical_questions_are_never_vetoed() -> None:
    assert veto("", "How do I boil an egg?") is None
    assert veto("How do I boil an egg?", "") is None
    assert veto("Why isn't it working?", "Why isn't it working?") is None


def test_text_beyond_max_chars_is_not_read() -> None:
    padding = " filler" * (MAX_CHARS // 7 + 10)
    assert veto("How do I bake bread?" + padding + " not",
                "How do I bake bread?" + padding) is None
    assert veto("How do I not bake bread?" + padding,
                "How do I bake bread?" + padding) == "negation: 'not' only in the new question"


def test_non_english_questions_are_not_vetoed_for_being_non_english() -> None:
    assert veto("如何做蛋糕？", "怎么做蛋糕？") is None
    assert veto("¿Cómo hago un pastel?", "¿Cómo preparo un pastel?") is None
    # digits and names still count in any language
    assert veto("Wie weit sind 5 km?", "Wie weit sind 50 km?") == "numbers: '5 km' vs '50 km'"


def test_curly_quotes_and_unicode_are_read_like_plain_ones() -> None:
    assert veto("What foods can’t I eat?", "What foods can't I eat?") is None
    assert veto("What is Zürich known for?", "What is Zurich known for?") is None


# --- the labelled pair set --------------------------------------------------------------------

PAIRS = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "chatbot_pairs.jsonl"
NEGATIVE_KINDS = {"negation", "number", "entity", "direction", "format", "time", "scope"}
POSITIVE_KINDS = {"casual", "typo", "reordered", "verbose", "synonym", "abbreviation"}


def test_chatbot_pairs_file_is_valid() -> None:
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line]
    assert len(rows) >= 600
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids)
    for r in rows:
        assert set(r) == {"id", "a", "b", "label", "kind"}, r
        assert r["id"].startswith("cb-") and r["id"][3:].isdigit(), r
        assert isinstance(r["a"], str) and isinstance(r["b"], str) and r["a"].strip(), r
        assert r["a"] != r["b"], r
        assert r["label"] in (0, 1), r
        assert r["kind"] in NEGATIVE_KINDS | POSITIVE_KINDS, r
        assert r["label"] == (1 if r["kind"] in POSITIVE_KINDS else 0), r
    per_kind = Counter(r["kind"] for r in rows)
    assert set(per_kind) == NEGATIVE_KINDS | POSITIVE_KINDS
    assert min(per_kind.values()) >= 60, per_kind
    assert len({(r["a"].lower(), r["b"].lower()) for r in rows}) == len(rows)
