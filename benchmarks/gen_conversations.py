"""Generate labelled multi-turn conversation pairs for tuning gistcache's conversation cache.

Run from the repository root (stdlib only, about a second)::

python benchmarks/gen_conversations.py --out benchmarks/data/conversations_tune.jsonl --per-kind 120 --seed 11

Each output line is ``{"id": "ct-00001", "kind", "label", "lang", "a", "b"}``. ``a`` is the
conversation already in the cache (a list of ``{"role", "content"}`` chat messages ending with a
user message), ``b`` the new one (also ending with a user message). ``label`` 1 means the stored
answer to ``a``'s last user message is a correct answer to ``b``'s last user message in ``b``'s
conversation; 0 means serving it would be wrong. ``lang`` is ``en`` or ``ko`` (about one row in
four is Korean). The same seed always gives the same file.

Conversations are built from scenario templates (``SCENARIOS``: billing and plan changes, retail
orders and returns, telecom, travel, tech support, banking, coding, cooking, health, insurance,
education, writing, utilities...). A scenario is a small script (see ``parse_scenario``): an
opening user message, optional blocks of assistant/user back-and-forth (the assistant asks
clarifying questions, confirms details, lists options), and endings. An ending is the assistant's
last turn plus the user's final message:

* ``OFFER``: the assistant makes one of several offers, the user says "yes please";
* ``LIST``: the assistant lists options, the user picks one by position ("the second one");
* ``INFO``: the assistant explains something, the user asks a generic follow-up ("what about the
  price?") from the ending's follow-up tags;
* ``ASK``: the user asks a specific question.

Every ending names the slots its answer depends on; slot values come from ``SLOTS``.

Kinds. Label 1:

* ``reworded``: every earlier turn that has another wording uses it (same facts, same offers and
  options in the same order); the final message is the same or lightly reworded;
* ``irrelevant_history``: unrelated small talk or an unrelated question with its answer comes first;
* ``extra_chatter``: chit-chat turns ("thanks!", "hmm, let me think", "잠깐만요") are inserted in
  between (in conversations of at most four messages, merged into user turns instead).

Label 0:

* ``other_context``: the same generic follow-up after a different main topic or subject;
* ``detail_changed``: one slot the answer depends on (number, name, product, date, city, plan
  tier) has another value, everywhere it appears;
* ``intent_flipped``: the same short final reply, but the assistant's last turn makes a different
  offer, lists the same options in another order, or lists a different item at the chosen place.

Each kind is spread evenly over four lengths of ``b`` (messages, all roles): at most 4, 5-8, 9-20
and 21-40 (the longest scenarios allow about 40 messages, so most rows of the last bucket have
21-30). Every row is checked (both sides end with a user message, roles alternate, ids are
unique, the edit of the kind is really there) before the file is written.
"""  # noqa: E501 (the command above is kept on one line so it can be copied)

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypedDict

Value = str | tuple[str, ...]
Msg = dict[str, str]


class Row(TypedDict):
    id: str
    kind: str
    label: int
    lang: str
    a: list[Msg]
    b: list[Msg]


KINDS = ("reworded", "irrelevant_history", "extra_chatter", "other_context", "detail_changed",
         "intent_flipped")
LABEL = {"reworded": 1, "irrelevant_history": 1, "extra_chatter": 1, "other_context": 0,
         "detail_changed": 0, "intent_flipped": 0}
#: (name, fewest messages in b, most messages in b)
BUCKETS = (("<=4", 1, 4), ("5-8", 5, 8), ("9-20", 9, 20), ("21-40", 21, 40))
#: every KO_EVERY-th row of a kind x bucket cell is Korean
KO_EVERY = 4

# =================================================================================================
# Final user messages shared by all scenarios.
# =================================================================================================

#: accepting an offer; all members of a language mean the same thing
YES: dict[str, tuple[str, ...]] = {
    "en": ("yes please", "go ahead", "yes, do it", "sure, go ahead", "sounds good, let's do that",
           "ok, do it", "yes please, go ahead", "please do", "yep, go for it",
           "yeah, let's do that"),
    "ko": ("네 그렇게 해 주세요", "네, 진행해 주세요", "좋아요, 그렇게 해 주세요", "네 부탁드려요",
           "네 그걸로 해 주세요", "네 좋아요, 진행해 주세요"),
}
#: picking an option by position (-1: the last one); phrases with a digit need a numbered list
ORDINAL: dict[str, dict[int, tuple[str, ...]]] = {
    "en": {0: ("the first one", "option 1", "first one please", "#1", "1"),
           1: ("the second one", "option 2", "the 2nd one", "second one please", "2"),
           2: ("the third one", "option 3", "#3", "third one"),
           3: ("the fourth one", "option 4"),
           -1: ("the last one", "the last option", "last one please")},
    "ko": {0: ("첫 번째요", "1번으로 할게요", "1번이요", "첫 번째 걸로 해 주세요"),
           1: ("두 번째요", "2번으로 해 주세요", "두 번째 걸로 할게요", "2번이요"),
           2: ("세 번째요", "3번이요", "세 번째 걸로요"),
           3: ("네 번째요", "4번으로 할게요"),
           -1: ("마지막 거요", "마지막 걸로 할게요")},
}
#: generic follow-ups, by tag; the meaning depends entirely on what came before
FOLLOW: dict[str, dict[str, tuple[str, ...]]] = {
    "price": {"en": ("what about the price?", "how much is it?", "and how much does it cost?"),
              "ko": ("그건 얼마예요?", "가격은 얼마예요?", "그럼 그건 얼마예요?")},
    "duration": {"en": ("how long does it take?", "how long will that take?"),
                 "ko": ("얼마나 걸려요?", "시간은 얼마나 걸려요?")},
    "fee": {"en": ("is there a fee for that?", "does that cost anything?"),
            "ko": ("수수료가 있나요?", "그거 수수료 붙어요?")},
    "cancel": {"en": ("how do I cancel it?", "and how would I cancel it?"),
               "ko": ("그건 어떻게 취소해요?", "취소하려면 어떻게 해요?")},
    "online": {"en": ("can I do that online?", "can I do it online?"),
               "ko": ("온라인으로도 할 수 있어요?", "그거 온라인으로도 돼요?")},
    "winter": {"en": ("and in winter?", "what about in winter?", "how about winter?"),
               "ko": ("겨울에는요?", "겨울에는 어때요?")},
    "weekend": {"en": ("what about on weekends?", "and on weekends?"),
                "ko": ("주말에는요?", "주말에는 어때요?")},
    "kids": {"en": ("is it safe for kids?", "is that ok for children?"),
             "ko": ("아이들한테도 괜찮아요?", "애들도 괜찮을까요?")},
    "side_effects": {"en": ("any side effects?", "what are the side effects?"),
                     "ko": ("부작용은 없어요?", "부작용은요?")},
    "shorter": {"en": ("can you make it shorter?", "make it shorter please", "can you shorten it?"),
                "ko": ("좀 더 짧게 해 줄 수 있어요?", "더 짧게 줄여 주세요")},
    "formal": {"en": ("can you make it more formal?", "make it sound more formal"),
               "ko": ("좀 더 격식 있게 바꿔 주세요", "더 정중하게 써 줄래요?")},
    "example": {"en": ("can you give me an example?", "example please?"),
                "ko": ("예시 하나 보여 줄래요?", "예를 들어 주세요")},
    "simpler": {"en": ("can you explain that more simply?", "explain it like I'm five?"),
                "ko": ("좀 더 쉽게 설명해 주세요", "더 쉽게 말해 줄래요?")},
    "why": {"en": ("why is that?", "why?"), "ko": ("왜 그런 거예요?", "왜요?")},
    "age_he": {"en": ("how old was he?", "how old was he then?"), "ko": ()},
    "age_she": {"en": ("how old was she?", "how old was she at the time?"), "ko": ()},
    "age": {"en": (), "ko": ("그때 몇 살이었어요?", "그때 나이가 몇 살이었어요?")},
    "vegetarian": {"en": ("what about a vegetarian version?", "can it be made vegetarian?"),
                   "ko": ("채식 버전은요?", "고기 없이도 만들 수 있어요?")},
    "js": {"en": ("what about in JavaScript?", "how would I do it in JavaScript?"),
           "ko": ("자바스크립트로는요?", "자바스크립트에서는 어떻게 해요?")},
}

# =================================================================================================
# Turns inserted by the label-1 kinds.
# =================================================================================================

#: unrelated exchanges put before the conversation (user, assistant, user, assistant...); none
#: mentions a person, product, price, season or process a later follow-up could point back to
IRRELEVANT = {
    "en": (
        ("Hi! How's your day going?",
         "Hi there! I'm doing well, thanks for asking. What can I help you with today?"),
        ("What's the capital of Australia?",
         "The capital of Australia is Canberra. Many people guess Sydney, but Canberra was "
         "purpose-built as the capital."),
        ("Quick question: is a tomato a fruit or a vegetable?",
         "Botanically, a tomato is a fruit because it develops from a flower and contains seeds. "
         "In cooking it's usually treated as a vegetable."),
        ("What's a good synonym for 'happy'?",
         "A few options: joyful, cheerful, content, glad, or delighted."),
        ("How do you say 'thank you' in Japanese?",
         "You can say 'arigatou' (ありがとう), or more politely 'arigatou gozaimasu'."),
        ("What's 15% of 80?", "15% of 80 is 12."),
        ("Tell me a fun fact.",
         "Octopuses have three hearts and blue blood. Two hearts pump blood to the gills and "
         "one pumps it to the rest of the body.",
         "whoa, that's wild",
         "Right? They're fascinating animals."),
        ("Can you tell me a joke?",
         "Why don't scientists trust atoms? Because they make up everything!",
         "haha ok that's a good one",
         "Glad you liked it!"),
        ("How many days are there in a leap year?",
         "A leap year has 366 days; the extra day is February 29."),
        ("What does 'FYI' stand for?", "'FYI' stands for 'for your information'."),
        ("Which planet is the largest in our solar system?",
         "Jupiter is the largest planet; it's more than 11 times as wide as Earth."),
        ("What's the plural of 'cactus'?",
         "Both 'cacti' and 'cactuses' are correct; 'cacti' is more common in writing."),
        ("How far away is the Moon?",
         "On average the Moon is about 384,400 km (238,900 miles) from Earth."),
        ("What's the difference between 'affect' and 'effect'?",
         "Usually 'affect' is a verb (to influence something) and 'effect' is a noun (the "
         "result). For example: the rain affected the game; the rain had a big effect.",
         "ok that makes sense",
         "Great! A handy trick: A for action (affect), E for end result (effect)."),
        ("Good morning!", "Good morning! How can I help you today?"),
        ("What's the square root of 144?", "The square root of 144 is 12."),
        ("How many continents are there?",
         "By the most common convention there are seven: Africa, Antarctica, Asia, Australia "
         "(Oceania), Europe, North America and South America."),
        ("Is it 'everyday' or 'every day'?",
         "'Everyday' is an adjective (everyday clothes); 'every day' means each day (I walk "
         "every day)."),
        ("Why is the sky blue?",
         "Sunlight scatters off the molecules in the air, and shorter blue wavelengths scatter "
         "much more than red ones, so blue light reaches your eyes from every direction.",
         "cool, thanks",
         "You're welcome!"),
        ("What's the chemical symbol for gold?", "The chemical symbol for gold is Au, from the "
         "Latin 'aurum'."),
    ),
    "ko": (
        ("안녕하세요!", "안녕하세요! 무엇을 도와드릴까요?"),
        ("호주의 수도가 어디예요?",
         "호주의 수도는 캔버라예요. 시드니로 알고 계신 분들이 많은데, "
         "캔버라가 수도로 계획해서 만든 도시입니다."),
        ("1마일은 몇 킬로미터예요?", "1마일은 약 1.61킬로미터입니다."),
        ("오늘 좀 피곤하네요.",
         "많이 피곤하시군요. 잠깐 일어나서 스트레칭을 하거나 물 한 잔 마셔 보세요.",
         "네 그래야겠어요",
         "좋아요! 무리하지 마세요."),
        ("'감사합니다'를 일본어로 뭐라고 해요?",
         "'아리가토 고자이마스(ありがとうございます)'라고 하면 됩니다."),
        ("80의 15%는 얼마예요?", "80의 15%는 12입니다."),
        ("재미있는 사실 하나 알려 주세요.",
         "문어는 심장이 세 개예요. 두 개는 아가미로, 하나는 몸 전체로 피를 보내요.",
         "오 신기하네요",
         "그렇죠? 문어는 정말 흥미로운 동물이에요."),
        ("토마토는 과일이에요, 채소예요?",
         "식물학적으로는 씨가 있는 열매라서 과일이지만, 요리에서는 보통 채소로 취급해요."),
        ("태양계에서 제일 큰 행성은 뭐예요?",
         "목성이 가장 큰 행성이에요. 지름이 지구의 11배가 넘습니다."),
        ("윤년은 1년이 며칠이에요?", "윤년은 366일이에요. 2월 29일이 하루 더 있습니다."),
        ("하늘은 왜 파란색이에요?",
         "햇빛이 공기 분자에 부딪혀 흩어질 때 파장이 짧은 파란빛이 훨씬 많이 산란되기 때문이에요.",
         "아 그렇구나, 고마워요",
         "천만에요!"),
        ("'안 되다'랑 '않 되다' 중에 뭐가 맞아요?",
         "'안 되다'가 맞아요. '안'은 '아니'의 준말이고, "
         "'않'은 '않다'처럼 뒤에 '-다'가 붙는 형태로만 써요."),
        ("좋은 아침이에요!", "좋은 아침입니다! 오늘은 무엇을 도와드릴까요?"),
    ),
}
#: openers put in front of the first real message after unrelated history
TRANSITION = {
    "en": ("Anyway, something else. ", "Okay, different topic. ", "Thanks! Another question. ",
           "Ok, on to what I actually wanted to ask. ", ""),
    "ko": ("그리고 다른 질문인데요, ", "아 그리고요, ", "감사합니다. 그런데 ", ""),
}
#: user chit-chat after an informative assistant turn, and the assistant's reply
CHAT_THANKS = {
    "en": (("thanks!", "ok cool", "got it, thanks", "nice", "ah ok", "cool, thanks",
            "perfect, thank you", "ok great"),
           ("You're welcome!", "No problem!", "Happy to help!", "Glad that helps.", "Anytime!")),
    "ko": (("아 네 감사합니다", "아 그렇구나", "오 좋네요", "네 알겠어요", "고마워요!",
            "아하 그렇군요"),
           ("천만에요!", "별말씀을요!", "도움이 되었다니 다행이에요.", "네, 언제든지요!")),
}
#: user chit-chat after an assistant question, and the assistant's reply
CHAT_THINK = {
    "en": (("hmm, let me think", "one sec", "hmm ok, give me a moment", "let me check, one sec",
            "wait a sec", "hmm good question"),
           ("Sure, take your time.", "No rush!", "Of course, take your time.",
            "Sure thing, I'll wait.")),
    "ko": (("잠깐만요", "음... 잠시만요", "잠깐 생각 좀 해 볼게요", "확인 좀 해 볼게요",
            "어 잠깐만요"),
           ("네, 천천히 생각해 보세요.", "네, 편하게 확인하세요.", "네, 기다릴게요.",
            "천천히 하셔도 돼요.")),
}
#: the assistant asking for a moment after a user question, and the user's reply
CHAT_HOLD = {
    "en": (("One moment while I check that.", "Let me look into that for you, one sec.",
            "Give me a moment to pull that up."),
           ("sure", "ok, no rush", "sure, thanks", "np", "ok")),
    "ko": (("잠시만 기다려 주세요. 확인해 보겠습니다.", "확인해 볼게요. 잠시만요.",
            "잠시만요, 조회해 보겠습니다."),
           ("네", "네 천천히 하세요", "넵", "네 기다릴게요")),
}
#: chit-chat merged into a user turn (short conversations), after a question or after information
MERGED_Q = {"en": ("hmm, ok. ", "let me think... ok. ", "alright. "),
            "ko": ("음... ", "잠깐만요... 음, ", "흠, ")}
MERGED_INFO = {"en": ("ok cool, thanks! ", "ah got it. ", "thanks! ", "haha ok. ", "nice, ok. "),
               "ko": ("아 네 감사합니다. ", "아 그렇군요. ", "오 좋네요. ", "아하. ")}

# =================================================================================================
# Slot values. Every class holds values that differ in meaning, so swapping one for another
# changes the right answer; a tuple value is used as {slot} (part 0) or {slot.N} (part N).
# =================================================================================================

SLOTS: dict[str, tuple[Value, ...]] = {
    # ---- English
    "customer": (("Maria", "maria.lopez@example.com"), ("James", "jwalker88@example.com"),
                 ("Priya", "priya.nair@example.com"), ("Daniel", "dan.kim@example.com"),
                 ("Sofia", "sofia.reyes@example.com"), ("Tom", "tom.becker@example.com"),
                 ("Aisha", "aisha.b@example.com"), ("Lucas", "lucas.moreau@example.com"),
                 ("Emma", "emma.w@example.com"), ("Kenji", "kenji.tanaka@example.com")),
    "pin": ("4821", "0937", "7710", "3358", "6402", "1194", "8826", "5063"),
    "date": ("March 3", "March 14", "April 2", "April 19", "May 7", "May 22", "June 10",
             "June 28", "July 5", "July 16", "August 9", "August 30", "September 12",
             "October 4", "October 21", "November 8", "December 1", "December 15"),
    "stream_svc": ("StreamBox", "Flixora", "ViewMax", "CineNow"),
    "stream_tier": (("Basic", "$8.99", "one screen at a time in HD"),
                    ("Standard", "$15.49", "two screens at once in Full HD"),
                    ("Premium", "$22.99", "four screens at once in 4K with HDR"),
                    ("Family", "$27.99", "six profiles and four screens at once in 4K")),
    "gym": ("FitLab", "CoreZone", "PeakGym", "BodyWorks"),
    "gym_tier": (("Flex", "$55", "full-time access to one club plus two classes a week"),
                 ("Standard", "$45", "full-time access to one club"),
                 ("Premium", "$65", "full-time access to every club plus classes")),
    "months_n": ("two", "three", "four"),
    "order_no": ("#48213", "#55102", "#61877", "#70345", "#39920", "#82611", "#27450"),
    "apparel": ("denim jacket", "wool sweater", "rain jacket", "linen shirt", "hoodie",
                "puffer vest", "flannel shirt"),
    "size": ("small", "medium", "large", "extra large"),
    "price": ("$39.99", "$54.00", "$72.50", "$89.99", "$119.00", "$64.95", "$148.00"),
    "parcel": (("standing desk", "a standing desk"), ("coffee grinder", "a coffee grinder"),
               ("pair of hiking boots", "a pair of hiking boots"), ("blender", "a blender"),
               ("gaming chair", "a gaming chair"), ("air purifier", "an air purifier"),
               ("bookshelf", "a bookshelf")),
    "headphones": (("SoundPeak X2", "over-ear, noise-cancelling, about 30 hours of battery"),
                   ("Aurio Buds Pro", "in-ear, noise-cancelling, about 8 hours per charge"),
                   ("BassLine 700", "over-ear, extra bass, about 40 hours of battery"),
                   ("Nimbus Open", "open-ear, sweat-resistant, about 10 hours of battery"),
                   ("Studio M5", "over-ear, studio-tuned sound, about 50 hours of battery")),
    "carrier": ("Northwind Mobile", "Brightline", "SkyTel"),
    "country": ("Japan", "Italy", "Mexico", "France", "Canada", "Thailand", "Brazil", "Germany",
                "Spain", "South Korea", "Australia", "Turkey"),
    "days": ("3", "5", "7", "10", "14"),
    "isp": ("Northwind Fiber", "Brightline Home", "SkyTel Broadband"),
    "city_us": ("Chicago", "Seattle", "Boston", "Denver", "Miami", "Austin", "San Francisco",
                "New York", "Atlanta", "Portland"),
    "city_intl": ("Lisbon", "Tokyo", "Rome", "Barcelona", "Bangkok", "Reykjavik", "Vancouver",
                  "Prague", "Sydney", "Cape Town", "Kyoto", "Mexico City"),
    "month_warm": ("May", "June", "July", "August", "September"),
    "people": ("2", "3", "4", "5", "6"),
    "nights": ("2", "3", "4", "5", "7"),
    "route": (("Paris", "Lyon"), ("London", "Edinburgh"), ("Rome", "Florence"),
              ("Tokyo", "Kyoto"), ("Madrid", "Barcelona"), ("Amsterdam", "Brussels"),
              ("Munich", "Vienna")),
    "laptop": (("Dell XPS 13", "Windows 11"), ("Lenovo ThinkPad T14", "Windows 10"),
               ("HP Pavilion 15", "Windows 11"), ("MacBook Air M2", "macOS Sonoma"),
               ("ASUS ZenBook 14", "Windows 11"), ("MacBook Pro 14", "macOS Ventura")),
    "printer": ("HP OfficeJet 8015", "Canon PIXMA TR4720", "Epson EcoTank ET-2800",
                "Brother HL-L2350DW"),
    "card": ("debit card", "credit card", "business credit card", "prepaid card"),
    "merchant": ("QuickMart", "SkyHigh Airlines", "TechZone", "Urban Eats", "GameVault",
                 "Coastline Hotels", "PetPal Supplies"),
    "amount": ("$45.00", "$120.00", "$249.99", "$512.40", "$1,200.00", "$64.30", "$2,050.00",
               "$330.00"),
    "dest": (("Mexico", "pesos"), ("India", "rupees"), ("the UK", "pounds"), ("Japan", "yen"),
             ("Germany", "euros"), ("Canada", "Canadian dollars"), ("Brazil", "reais")),
    "py_error": (("KeyError: 'user_id'", "a key is missing from the dictionary",
                  "딕셔너리에 없는 키로 값을 꺼내려고 할 때"),
                 ("TypeError: 'NoneType' object is not subscriptable",
                  "a function returned None and the code indexes into it",
                  "함수가 None을 반환했는데 그 결과에 인덱스로 접근할 때"),
                 ("IndexError: list index out of range",
                  "the code reads past the end of a list",
                  "리스트 길이를 넘는 인덱스에 접근할 때"),
                 ("ValueError: invalid literal for int() with base 10: ''",
                  "int() is given an empty string",
                  "int()에 빈 문자열이 들어갈 때"),
                 ("AttributeError: 'str' object has no attribute 'append'",
                  "a variable holds a string where the code expects a list",
                  "리스트여야 할 변수에 문자열이 들어 있는데 append를 호출할 때")),
    "table": ("orders", "customers", "invoices", "sessions", "payments"),
    "column": ("created_at", "status", "country", "amount", "customer_id"),
    "branch": ("feature/login", "fix/payment-bug", "feature/search", "refactor/api-client",
               "feature/dark-mode"),
    "dish": (("lasagna", "about 1 hour 30 minutes"), ("chicken curry", "about 45 minutes"),
             ("beef chili", "about 1 hour"), ("shrimp pad thai", "about 35 minutes"),
             ("mushroom risotto", "about 40 minutes"),
             ("shepherd's pie", "about 1 hour 15 minutes")),
    "servings": ("2", "4", "6", "8", "10", "12"),
    "drug": (("ibuprofen", "an anti-inflammatory pain reliever (an NSAID)",
              "a sore back after moving furniture"),
             ("acetaminophen", "a pain reliever and fever reducer (also sold as Tylenol)",
              "a headache and a mild fever"),
             ("naproxen", "a longer-acting anti-inflammatory pain reliever (an NSAID)",
              "knee pain after running"),
             ("cetirizine", "a non-drowsy antihistamine for allergies",
              "hay fever with sneezing and itchy eyes"),
             ("loratadine", "a non-drowsy antihistamine for allergies",
              "a runny nose from seasonal allergies")),
    "sleep_aid": (("melatonin", "a hormone that signals your body it's time to sleep"),
                  ("magnesium glycinate", "a mineral supplement some people take for relaxation"),
                  ("diphenhydramine", "a sedating antihistamine found in many 'PM' products"),
                  ("valerian root", "an herbal supplement used for sleep for centuries")),
    "vehicle": ("2018 Honda Civic", "2020 Toyota RAV4", "2016 Ford F-150", "2021 Tesla Model 3",
                "2019 Subaru Outback", "2017 Mazda CX-5"),
    "incident": ("a rear-end collision in a parking lot", "a cracked windshield from a rock",
                 "hail damage on the roof and hood", "a scrape against a pole while parking"),
    "person_m": (("Napoleon Bonaparte", "crowned himself Emperor of the French in 1804"),
                 ("Alexander the Great", "defeated the Persian king Darius III at Gaugamela in "
                  "331 BC"),
                 ("Julius Caesar", "crossed the Rubicon with his army in 49 BC"),
                 ("Abraham Lincoln", "delivered the Gettysburg Address in 1863"),
                 ("Charles Darwin", "published On the Origin of Species in 1859"),
                 ("Albert Einstein", "published his theory of special relativity in 1905"),
                 ("Wolfgang Amadeus Mozart", "wrote his first symphony in 1764")),
    "person_f": (("Marie Curie", "won her first Nobel Prize, in physics, in 1903"),
                 ("Queen Victoria", "became queen of the United Kingdom in 1837"),
                 ("Amelia Earhart", "flew solo across the Atlantic in 1932"),
                 ("Joan of Arc", "led the French army to lift the siege of Orleans in 1429"),
                 ("Ada Lovelace", "published her notes on the Analytical Engine in 1843"),
                 ("Rosa Parks", "refused to give up her bus seat in Montgomery in 1955"),
                 ("Elizabeth I", "became queen of England in 1558")),
    "equation": ("3x + 7 = 22", "5x - 4 = 31", "2x + 9 = 25", "7x - 6 = 29", "4x + 3 = 27",
                 "6x - 5 = 43"),
    "course": (("Intro to Statistics", "STAT 101"), ("Organic Chemistry", "CHEM 210"),
               ("Microeconomics", "ECON 102"), ("Creative Writing", "ENGL 215"),
               ("Data Structures", "CS 201"), ("World History", "HIST 110")),
    "term": ("fall", "spring", "summer"),
    "recipient": (("Professor Hill", "my professor"), ("Ms. Patel", "my manager"),
                  ("Mr. Alvarez", "my landlord"), ("Dr. Chen", "my thesis advisor"),
                  ("Coach Rivera", "my son's soccer coach")),
    "email_goal": (("move our meeting", "the meeting"), ("extend the deadline", "the deadline"),
                   ("postpone the inspection", "the inspection")),
    "restaurant": ("Olive & Thyme", "Harbor Grill", "Sakura House", "Casa Lupe", "The Copper Pot"),
    "usage": ("480 kWh", "640 kWh", "820 kWh", "1,150 kWh", "1,420 kWh"),
    "bill": ("$78", "$112", "$146", "$189", "$231"),
    "utility": ("Bright Energy", "Lakeside Power", "Summit Electric"),
    "deposit": ("$1,000", "$2,500", "$5,000", "$10,000", "$25,000"),
    "coverage": ("$15,000", "$30,000", "$50,000", "$75,000"),
    # ---- Korean
    "kname": (("김민수", "minsu.kim@example.com"), ("이지은", "jieun.lee@example.com"),
              ("박서준", "seojun.park@example.com"), ("최유진", "yujin.choi@example.com"),
              ("정하늘", "haneul.j@example.com"), ("한지민", "jimin.han@example.com"),
              ("오세훈", "sehoon.oh@example.com"), ("윤아름", "areum.yoon@example.com")),
    "kmonth": ("5월", "6월", "7월", "8월", "9월"),
    "kdate": ("3월 5일", "3월 18일", "4월 2일", "4월 27일", "5월 9일", "5월 23일", "6월 14일",
              "7월 1일", "7월 20일", "8월 8일", "9월 3일", "10월 11일", "11월 6일", "12월 19일"),
    "kcarrier": ("한빛텔레콤", "누리모바일", "하늘통신"),
    "kplan": (("5G 라이트", "월 55,000원", "데이터 12GB"),
              ("5G 스탠다드", "월 69,000원", "데이터 110GB"),
              ("5G 프리미엄", "월 89,000원", "데이터 무제한"),
              ("LTE 베이직", "월 33,000원", "데이터 6GB")),
    "kisp": ("한빛인터넷", "누리브로드밴드", "하늘넷"),
    "kitem": ("니트 가디건", "러닝화", "패딩 점퍼", "린넨 셔츠", "청바지", "후드티", "트렌치코트"),
    "ksize": ("S", "M", "L", "XL"),
    "korder": ("2024031588", "2024040210", "2024051733", "2024062294", "2024070815"),
    "kparcel": ("전기포트", "무선 청소기", "캠핑 의자", "에어프라이어", "책상 스탠드",
                "블루투스 스피커"),
    "kcity": ("부산", "제주", "강릉", "여수", "경주", "전주", "속초"),
    "kintl": ("오사카", "도쿄", "방콕", "다낭", "타이베이", "파리", "런던", "싱가포르"),
    "kpeople": ("2", "3", "4", "5"),
    "knights": ("1", "2", "3", "4"),
    "kamount": ("50만 원", "80만 원", "120만 원", "200만 원", "300만 원", "500만 원"),
    "kcountry": (("미국", "달러"), ("일본", "엔화"), ("베트남", "동"), ("호주", "호주 달러"),
                 ("독일", "유로"), ("캐나다", "캐나다 달러")),
    "kdish": (("김치찌개", "30분 정도"), ("된장찌개", "25분 정도"),
              ("불고기", "재우는 시간 빼고 20분 정도"),
              ("잡채", "40분 정도"), ("닭볶음탕", "50분 정도"), ("떡볶이", "20분 정도")),
    "kserv": ("2인분", "4인분", "6인분", "8인분"),
    "kdrug": (("아세트아미노펜(타이레놀)", "해열진통제", "두통이 있고 열도 좀 나서요"),
              ("이부프로펜(부루펜)", "소염진통제", "이사하다가 허리를 삐끗해서요"),
              ("세티리진(지르텍)", "항히스타민제", "꽃가루 알레르기 때문에 재채기가 심해서요"),
              ("로라타딘(클라리틴)", "항히스타민제", "비염 때문에 콧물이 계속 나서요")),
    "ksvc": ("스트림박스", "무비나우", "티비온", "시네마루"),
    "ktier": (("베이직", "월 9,500원", "동시 접속 1대, HD 화질"),
              ("스탠다드", "월 13,500원", "동시 접속 2대, 풀HD 화질"),
              ("프리미엄", "월 17,000원", "동시 접속 4대, 4K 화질")),
    "kperson": (("세종대왕", "1446년에 훈민정음을 반포했어요"),
                ("이순신 장군", "1597년 명량 해전에서 배 13척으로 일본 수군을 물리쳤어요"),
                ("유관순 열사", "1919년 아우내 장터에서 만세 운동을 이끌었어요"),
                ("정약용", "1818년에 목민심서를 완성했어요"),
                ("안중근 의사", "1909년 하얼빈에서 이토 히로부미를 저격했어요"),
                ("김구 선생", "1919년 상하이에서 대한민국 임시정부에 참여했어요")),
    "krecipient": (("김 팀장님", "팀장님"), ("박 교수님", "교수님"), ("이 과장님", "과장님"),
                   ("최 선생님", "선생님")),
    "kgoal": (("회의", "회의를"), ("면담", "면담을"), ("발표", "발표를"), ("마감", "마감을")),
}

# =================================================================================================
# Scenario scripts (format: see ``parse_scenario``). English first, then Korean.
# =================================================================================================

SCRIPTS_EN: tuple[tuple[str, str, str], ...] = (
("stream_plan", "support cur=stream_tier new=stream_tier svc=stream_svc d=date", """
G: Hi, thanks for contacting {svc} support! What can I help you with today? | Hello and welcome
~ to {svc} support. How can I help?
OPEN: Hi, I'm on the {svc} {cur.0} plan and I'm thinking about changing my subscription. | Hello!
~ I have {svc} {cur.0} right now and I'd like to look at changing my plan.
SOLO(new,svc): How much would {svc} {new.0} cost per month if I switch from {cur.0}? | If I move
~ from {cur.0} to {new.0} on {svc}, what's the monthly price?
--
A: I can help with that. What's prompting the change: price, features, or something else? | Sure!
~ Is there a particular reason you're looking to change, like cost or features?
U: Mostly the price, but I'd also like better video quality. | Partly cost, partly I want a
~ better picture.
--
A: Understood. Which devices do you usually watch on? | Got it. What do you mostly stream on?
U: Mostly the living-room TV, sometimes my phone. | A smart TV and my phone, mostly.
--
A: Thanks. Your {cur.0} plan is {cur.1} a month and your next renewal is on {d}. | Thanks. You're
~ currently paying {cur.1} a month for {cur.0}, and it renews on {d}.
U: Right, that matches my bank statement. | Yes, that sounds right.
--
A: Does anyone else in your household use the account? | Does anyone else share this account
~ with you?
U: My partner uses it sometimes, but rarely at the same time as me. | Just my partner,
~ occasionally.
A: Good to know, that affects how many screens you need. Do you download shows to watch
~ offline? | OK. Do you ever download episodes for offline viewing?
U: Only when I'm traveling. | Sometimes, on flights.
--
A: Are you interested in {new.0} specifically, or should I go over all the tiers? | Were you
~ looking at {new.0} in particular, or do you want a rundown of every plan?
U: I was mainly looking at {new.0}. | {new.0} is the one I had in mind.
--
A: Would you like to keep the same payment card on file? | Should we keep using the card that's
~ already on the account?
U: Yes, keep the same card. | Yes, the same card is fine.
A: Noted. Just so you know, plan changes normally take effect at your renewal on {d}. | Okay.
~ Plan changes usually apply from your renewal date, {d}.
U: That's fine, the renewal date works for me. | The renewal date is fine.
--
A: Have you had any problems with streaming quality lately? | Have you noticed any buffering or
~ quality issues recently?
U: No, it's been fine, I just want a sharper picture on the big TV. | Not really, I just want
~ something sharper on the TV.
OFFER(new,d,cur): Thanks for the details! I can {offer}. Would you like me to do that? | Okay! One
~ option is to {offer}. Shall I set that up?
* switch you to {new.0} at {new.1} a month starting {d} | move your account to {new.0}
~ ({new.1}/month) from {d}
* move your {cur.0} plan to annual billing, which saves about 15% | change your {cur.0} plan to
~ yearly billing and save roughly 15%
* cancel your subscription so it ends on {d} | end your subscription at the close of the
~ current period on {d}
* pause your membership for up to three months starting {d} | put your membership on hold for
~ up to three months from {d}
LIST(d,svc): Here are all the {svc} plans; any change would start on {d}:{options}¶Which one
~ would you like? | These are the {svc} plans available from your renewal on {d}:{options}¶Which
~ should I put you on?
* Basic: $8.99/month, one screen at a time in HD
* Standard: $15.49/month, two screens at once in Full HD
* Premium: $22.99/month, four screens at once in 4K with HDR
* Family: $27.99/month, six profiles and four screens at once in 4K
* Standard with ads: $6.99/month, two screens at once in Full HD
INFO(new / price): {new.0} gives you {new.2}, and you can download titles on up to six devices.
~ | With {new.0} you'd get {new.2}, plus downloads on up to six devices.
INFO(svc / cancel): On {svc} you can change plans at any time, and nothing changes until your
~ renewal on {d}. | {svc} lets you switch plans whenever you like; the change applies from your
~ renewal on {d}.
ASK(new): Is there anything else you'd like to know before deciding? | Anything else I can
~ clarify about the plans?
? If I switch to {new.0} on {d}, what will my next bill be? | What would I be billed on {d} if
~ I move to {new.0}?
"""),
("gym_membership", "support g=gym t=gym_tier m=months_n d=date", """
G: Hi, this is {g} member services. How can I help you today? | Welcome to {g} member support!
~ What can I do for you?
OPEN: Hi, I have a {t.0} membership at {g}. I'm having knee surgery on {d} and won't be able to
~ train for about {m} months. | Hello, I'm a {g} member on the {t.0} plan. I have knee surgery on
~ {d},
~ so I'll be out for roughly {m} months.
SOLO(t,g): What's the fee to freeze a {t.0} membership at {g} for {m} months? | How much does
~ {g} charge to put a {t.0} membership on hold for {m} months?
--
A: I'm sorry to hear that, I hope the surgery goes well. Is this the first time you've needed a
~ break from your membership? | Sorry to hear that, and good luck with the operation! Have you
~ paused your membership before?
U: Yes, it's the first time. | No, never.
--
A: Do you know when you'll be able to train again? | Has your surgeon said when you can exercise
~ again?
U: Hopefully right after the {m} months, if recovery goes well. | The plan is {m} months, then
~ light training.
--
A: Thanks. You're on {t.0}, which is {t.1} a month and gives you {t.2}. | Thanks. Your {t.0}
~ plan costs {t.1} a month and includes {t.2}.
U: Yes, that's the one. | Yep, that's right.
--
A: Do you have any personal-training sessions booked in that period? | Are any personal training
~ sessions scheduled during that time?
U: One on the Saturday after, but I'll cancel it myself. | Just one, I'll cancel it through the
~ app.
--
A: Do you have a doctor's note? Medical freezes are sometimes handled differently. | Is there a
~ doctor's note you could share? We sometimes treat medical holds differently.
U: I can get one from my surgeon if needed. | Yes, my surgeon can write one.
--
A: Is the card ending in your usual digits still the right one for any charges? | Should any
~ charges go to the card we have on file?
U: Yes, the card on file is fine. | Yep, same card.
--
A: Got it. Are you planning to come back to the same club afterwards? | Do you expect to return
~ to the same club once you've recovered?
U: Yes, definitely, I like this location. | Yes, I'm planning to come back here.
--
A: Will you still want access to the pool for rehab during that time? | Would you still like to
~ use the pool for physio while you recover?
U: Probably not, my physio has their own facility. | No, I'll do rehab at the clinic.
OFFER(t,m,d): Thanks for explaining. I can {offer}. Would you like me to go ahead? | Understood.
~ What I can do is {offer}. Shall I do that?
* freeze your {t.0} membership for {m} months starting {d} | put your {t.0} plan on hold for {m}
~ months from {d}
* cancel your {t.0} membership with effect from {d} | end your {t.0} membership as of {d}
* move you to the Daytime plan at $29 a month from {d} | downgrade you to Daytime ($29/month)
~ starting {d}
LIST(d,m): Here are your options starting {d}:{options}¶Which would you prefer? | These are the
~ choices from {d}:{options}¶Which one works for you?
* A medical freeze for {m} months at $5 a month
* A standard freeze for {m} months at $10 a month
* Cancel the membership with no cancellation fee
* Switch to Daytime at $29 a month
INFO(g / fee): A freeze keeps your {t.0} rate locked in, and {g} resumes billing automatically
~ when it ends. | While frozen, your {t.0} price is locked and billing restarts on its own at the
~ end of the freeze.
INFO(t,g / weekend): With {t.0} at {g} you get {t.2}; weekday hours are 5 am to 11 pm. | {t.0}
~ includes {t.2}, and on weekdays the clubs are open from 5 am to 11 pm.
ASK(t,m): Anything else I can help with on the freeze? | Is there anything else about this I can
~ explain?
? How much will I pay in total while my {t.0} membership is frozen for {m} months? | What's the
~ total cost of freezing the {t.0} plan for {m} months?
"""),
("retail_return", "support o=order_no it=apparel s1=size s2=size p=price", """
G: Hi! You're chatting with the Northline Outfitters assistant. How can I help? | Hello, welcome
~ to Northline Outfitters support! What can I do for you today?
OPEN: Hi, I want to return a {it} from order {o}. It doesn't fit, I think I need a size {s2}. |
~ Hello, the {it} from order {o} doesn't fit, so I'd like to send it back; a size {s2} would
~ probably work better.
SOLO(it,p): How much of the {p} I paid for a {it} do I get back if I return it? | If I return a
~ {it} that cost {p}, how much will be refunded?
--
A: Sorry it didn't work out! Could you confirm which size you received? | I'm sorry about that.
~ What size did you order?
U: I got a size {s1}. | It's a size {s1}.
--
A: Thanks. And has the item been worn or washed? | Got it. Has it been worn outside or washed?
U: No, I only tried it on at home and the tags are still on. | Nope, just tried it on, tags are
~ still attached.
--
A: Great, that makes it eligible. I can see the {it} was {p}, delivered 9 days ago. | Perfect,
~ then it qualifies. The {it} cost {p} and was delivered 9 days ago.
U: Yes, that's the one. | That's right.
--
A: How did the size {s1} fit? | What was off with the size {s1}?
U: It doesn't sit right in the shoulders. | The shoulders are off.
--
A: Thanks, that's helpful feedback for our fit team. Did you pay by card or with a gift card? |
~ Noted! How did you pay for the order, card or gift card?
U: By credit card. | I used my credit card.
--
A: Do you still have the original packaging? | Do you have the bag it came in?
U: I have the bag but not the box. | Just the bag.
A: That's fine, any sturdy bag or box works for the return. | No problem, any packaging that
~ protects the item is fine.
U: Good to know. | Ok, great.
--
A: Is the delivery address still the best place to collect from, if needed? | Should we use
~ your delivery address if we need to arrange a pickup?
U: Yes, same address. | Yep, that address is fine.
--
A: And is there anything else in order {o} you'd like to return? | Are you returning anything
~ else from order {o}?
U: No, just the {it}. | Only the {it}.
OFFER(it,s2,p): Thanks! I can {offer}. Would you like me to do that? | All set on my side. I can
~ {offer}. Shall I go ahead?
* refund the full {p} to your original card once the {it} arrives back | send the full {p} back
~ to your card as soon as we receive the {it}
* exchange the {it} for a size {s2} and ship it today | swap it for a size {s2} and send that out
~ today
* give you {p} in store credit right away, before the return arrives | issue {p} as store credit
~ immediately, without waiting for the return
LIST(it,o): Here's how you can send the {it} back:{options}¶Which option works best? | You have
~ a few ways to return the {it}:{options}¶Which would you like?
* drop it off at any Northline store
* print a prepaid label and mail it from a post office
* schedule a free courier pickup from your address
* drop it at a partner parcel locker with a QR code
INFO( / duration): Once we receive the return for order {o}, we inspect it and issue the
~ refund to your original payment method. | When the return from order {o} reaches our
~ warehouse, we check it and then refund your original payment method.
INFO( / fee): For the {it}, you can return it by mail with a prepaid label or in store. |
~ You can send back the {it} by mail with our prepaid label or bring it to a store.
ASK(it,s2): Is there anything else you want to know about the return? | Anything else before I
~ set up the return?
? Do you have the {it} in size {s2} in stock right now? | Is the {it} in size {s2} currently in
~ stock?
"""),
("retail_delivery", "support o=order_no it=parcel d=date c=city_us", """
G: Hi, you're chatting with the ShopRight delivery assistant. What can I do for you? | Hello!
~ This is ShopRight order support. How can I help?
OPEN: Hi, my order {o} with {it.1} was supposed to arrive by {d} and it still hasn't come. |
~ Hello, I'm still waiting for order {o} ({it.1}); it was due on {d}.
SOLO(o,d): My order {o} was due on {d} and hasn't arrived. Where is it? | Order {o} should have
~ been here on {d}, what's going on with it?
--
A: I'm sorry about the wait! Could you confirm the delivery city for me? | Sorry it's late. Can
~ you confirm which city it's being delivered to?
U: It's going to {c}. | {c}.
--
A: Thanks. I can see order {o} with {it.1} left our warehouse two days before {d}. | Thanks. Order
~ {o} ({it.1}) shipped from our warehouse two days before {d}.
U: Okay, so where is it now? | Right, so where's it stuck?
A: The last scan shows it at the regional hub near {c}, and it hasn't moved since. | It was last
~ scanned at the {c} regional hub and hasn't been scanned since.
U: That's annoying, I took the day off to wait for it. | Ugh, I stayed home for it.
--
A: I understand, that's really frustrating. Was anything left with a neighbor or in a parcel
~ locker? | I'm sorry. Did you get a notice that it was left with a neighbor or a locker?
U: No, nothing, I checked with my neighbors. | No, I already asked the neighbors.
--
A: Did you get any messages from the courier about a failed delivery? | Have you had any texts
~ from the courier about a missed delivery attempt?
U: No messages at all. | None.
--
A: Is the address on the order still correct, including the apartment number? | Can you check
~ the address on the order is complete, with the apartment number?
U: Yes, it's correct. | Yes, I double-checked it.
--
A: Thanks for checking. Do you need the {it} by a particular date? | Thanks. Is there a day you
~ need the {it} by?
U: Ideally this week, it's a birthday present. | Soon, it's a gift.
--
A: Understood, I'll treat it as urgent. Is the phone number on the order the best way to
~ reach you? | Got it. Should the courier contact you on the phone number from the order?
U: Yes, that number is fine. | Yes.
OFFER(o,it,c): I've opened a trace with the courier. In the meantime I can {offer}. Want me to
~ go ahead? | I've asked the courier to trace it. Meanwhile, I can {offer}. Shall I?
* send a replacement {it} by express delivery to {c} at no cost | ship a new {it} to {c} by
~ express, free of charge
* refund order {o} in full now, and you can keep the parcel if it turns up | give you a full
~ refund for order {o} right away, and if it shows up you can keep it
* add a $15 credit to your account for the delay | put a $15 credit on your account to make up
~ for the delay
LIST(o,c): Here's what I can do for order {o}:{options}¶Which would you like? | These are the
~ options for order {o}:{options}¶What would you prefer?
* wait two more days while the courier traces it
* get a replacement by express delivery
* get a full refund now
* collect it from the {c} hub yourself
INFO( / duration): I've opened a trace for order {o}; the courier will search the {c} hub and
~ report back. | A trace is now open for order {o}. The courier will check the {c} hub and update
~ us.
INFO(c / weekend): Our couriers in {c} deliver Monday to Friday between 8 am and 8 pm. |
~ In {c}, our couriers deliver on weekdays from 8 am to 8 pm.
ASK(c): Is there anything else I can check for you? | Anything else I can look into?
? Can I pick up order {o} from the {c} hub myself today? | Am I able to collect order {o} at
~ the {c} hub today?
"""),
("headphones_compare", "h1=headphones h2=headphones", """
OPEN: Hi! I'm trying to decide on new headphones and I'm looking at the {h1.0}. | Hey, I'm
~ shopping for headphones and the {h1.0} caught my eye.
SOLO(h1): Is the {h1.0} good for taking calls on the train? | How well does the {h1.0} handle phone
~ calls in a noisy train?
--
A: Nice choice to look at! What will you mostly use them for? | Happy to help you decide. What
~ do you mainly need them for?
U: Commuting on the train and some calls for work. | My daily train commute, plus work calls.
--
A: Got it. Do you prefer over-ear or in-ear? | Do you like over-ear headphones or earbuds?
U: I don't mind either, comfort matters most. | Either, as long as they're comfortable.
--
A: Makes sense. Do you wear glasses? Some over-ear cushions press on the frames. | Do you wear
~ glasses? Over-ear pads can sometimes press on them.
U: Yes, I do. | I do, yeah.
--
A: Thanks. What phone do you use? Some features only work on certain brands. | What phone will
~ you pair them with? A few features are brand-specific.
U: An Android phone. | I'm on Android.
--
A: Great, everything we sell works with Android. Do you also want them for the gym? | Good,
~ they all support Android. Will you use them for workouts too?
U: Not really, just commuting. | No, mainly the train.
--
A: Okay. For reference, the {h1.0} is {h1.1}. | Noted. Just so you know, the {h1.0} is {h1.1}.
U: Sounds decent. | Okay, that sounds good.
--
A: I'd also suggest looking at the {h2.0}, which is {h2.1}. | Another one worth considering is
~ the {h2.0}: {h2.1}.
U: Hmm, I'll keep that in mind, but the {h1.0} is still my favorite. | Interesting, but I'm
~ still leaning towards the {h1.0}.
--
A: Do you have a budget in mind? | Is there a price limit you're working with?
U: I'd rather not go crazy, but quality matters. | Flexible, but I don't want to overpay.
OFFER(h1): Thanks! I can {offer}. Would you like that? | Got it. I can {offer}. Shall I?
* add the {h1.0} to your cart | put the {h1.0} in your cart
* set a price-drop alert for the {h1.0} | notify you when the {h1.0} goes on sale
* check which stores near you have the {h1.0} to try on | find a store near you where you can
~ try the {h1.0}
INFO(h1 / price,kids): The {h1.0} is {h1.1}, and it has a volume limiter and a quick-charge
~ mode. | The {h1.0} is {h1.1}; it also offers a volume limiter and quick charging.
LIST(h1): Here are the colors the {h1.0} comes in:{options}¶Which one do you want? | The {h1.0}
~ is available in these colors:{options}¶Which color would you like?
* Matte Black
* Sand Beige
* Midnight Blue
* Silver
* Forest Green
ASK(h1): Anything else you'd like to know? | Any other questions about them?
? Does the {h1.0} have multipoint, so it can stay connected to my laptop and phone? | Can the
~ {h1.0} connect to my phone and laptop at the same time?
"""),
("telecom_roaming", "support k=carrier c=country n=days d=date", """
G: Hi, this is {k} support. How can I help? | Welcome to {k}! What can I help you with today?
OPEN: Hi, I'm traveling to {c} on {d} for {n} days and want to use my phone there. | Hello, I fly
~ to {c} on {d} and I'll be there for {n} days; I need my phone to work.
SOLO(c,k): How much does {k} charge per day for roaming in {c}? | What's {k}'s daily roaming
~ rate in {c}?
--
A: Happy to help you get set up for {c}! Is this a work trip or a vacation? | Sounds like a great
~ trip! Is it for business or pleasure?
U: Vacation. | Just a holiday.
--
A: Thanks. Which plan are you on right now? | Thanks. Do you know which plan you have?
U: I think it's the Unlimited Plus plan. | Unlimited Plus, I believe.
A: Let me check... yes, you're on Unlimited Plus. | I've checked, you're on Unlimited Plus.
U: Ok good. | Great.
--
A: Will you mostly use data, or also calls and texts? | Do you need mainly data, or also calls
~ and texts?
U: Mostly data for maps and messaging, a few calls home. | Data mainly, plus a couple of calls.
--
A: Is your phone unlocked, in case you want a local SIM? | Is your phone unlocked, in case you'd
~ rather get a local SIM card?
U: I'm not sure, I bought it through you two years ago. | No idea, I got it from you guys a
~ couple of years ago.
A: Then it's been unlocked automatically, so a local SIM or eSIM would also work. | Phones from
~ us unlock automatically after a year, so a local SIM would work too.
U: Good to know, but I'd rather keep my number. | Ok, but I want to keep my own number.
--
A: Does anyone else on your account travel with you? | Is anyone else on your account going
~ too?
U: No, just me. | Only me.
--
A: Do you want roaming to stop automatically when you return? | Should roaming turn off
~ automatically after your trip?
U: Yes please, I don't want surprise charges. | Yes, definitely.
OFFER(c,n,d): Got it. I can {offer}. Would you like me to add that? | Thanks! I can {offer}.
~ Should I set that up?
* add the {c} Travel Pass for {n} days from {d}, $10 a day | activate a {n}-day {c} Travel Pass
~ starting {d} at $10 per day
* add a 10 GB international data pack valid for 30 days from {d}, $50 | set up a 10 GB
~ international data pack for 30 days from {d} for $50
* block roaming from {d} so you only use Wi-Fi | turn roaming off from {d}, so you'd rely on
~ Wi-Fi only
LIST(c,d): These are the roaming options for {c} from {d}:{options}¶Which one should I add? |
~ For {c}, starting {d}, you can choose:{options}¶Which do you want?
* Travel Pass: $10/day, uses your normal plan allowance
* 10 GB data pack: $50, valid 30 days
* 3 GB data pack: $25, valid 15 days
* Pay as you go: $2.05 per MB
INFO(c / fee): In {c}, the Travel Pass lets you use your usual talk, text and data. | With the
~ Travel Pass you can use your normal minutes, texts and data in {c}.
INFO(c,k / price): Roaming in {c} with {k} works on partner networks, usually at 4G/5G speeds. |
~ {k} roams on partner networks in {c}, mostly at 4G or 5G speed.
ASK(c,n): Anything else before your trip? | Any other questions about using your phone abroad?
? Will incoming calls be charged while I'm in {c}? | Do I pay for calls I receive in {c}?
"""),
("telecom_internet", "support i=isp d=date c=city_us", """
G: Hi, welcome to {i} technical support. What's going on? | Hello, this is {i} support. How can I
~ help today?
OPEN: Hi, my home internet keeps dropping out every few minutes. | Hello, my internet connection
~ at home keeps cutting out.
SOLO(i,c): Is there a {i} outage in {c} right now? | Is {i} having an outage in {c} today?
--
A: I'm sorry about that, let's get it sorted. How long has this been happening? | Sorry to hear
~ that! When did the drops start?
U: Since yesterday evening. | It started last night.
--
A: Which city is the service address in? | What city is the connection in?
U: {c}. | It's in {c}.
A: Thanks. I don't see a reported outage in {c} right now. | Okay, there's no known outage in
~ {c} at the moment.
U: Strange, the neighbors seem fine too. | Weird. My neighbors don't seem to have problems.
--
A: Are the lights on your router solid or blinking? | What do the lights on the router look
~ like, solid or flashing?
U: The internet light is blinking orange. | The globe light blinks orange.
A: That usually means the router is losing the signal from the line. Have you restarted it? |
~ An orange blinking light usually points to a line signal problem. Did you try a restart?
U: Yes, twice, it helps for a few minutes and then drops again. | Yes, a couple of times; it
~ comes back briefly and then drops.
--
A: Are you connected over Wi-Fi or with a cable? | Is your computer on Wi-Fi or plugged in with
~ an Ethernet cable?
U: Both drop, I tried a cable too. | I tested with a cable as well, same thing.
A: Thanks for testing that, it rules out Wi-Fi interference. I've run a line test and see a
~ lot of noise on the line. | That helps, it's not the Wi-Fi. My line test shows noise on the
~ line.
U: So what happens now? | Ok, so what can you do?
A: It's most likely the cable or the wall socket, which needs a technician. | Most likely the
~ cabling or the socket is faulty, so a technician should check it.
U: Okay, makes sense. | Alright.
--
A: Will someone over 18 be at home for a visit? | Can an adult be home for a technician visit?
U: Yes, I work from home. | Yes, I'm home most days.
OFFER(d,c): I can {offer}. Shall I book that? | The quickest fix is to {offer}. Would you like
~ me to arrange it?
* book a technician visit in {c} on {d} between 8 am and noon | schedule a technician in {c} for
~ the morning of {d}, 8 am to 12 pm
* send you a new router by courier, arriving by {d} | courier a replacement router to you by {d}
* credit three days of service to your bill and keep monitoring the line until {d} | put a
~ three-day credit on your bill and monitor the line until {d}
LIST(): Here are the technician slots available in {c}:{options}¶Which one suits you? | These
~ are the open technician appointments in {c}:{options}¶Which works for you?
* Tuesday 8 am to 12 pm
* Tuesday 1 pm to 5 pm
* Wednesday 8 am to 12 pm
* Thursday 1 pm to 5 pm
* Friday 8 am to 12 pm
INFO( / duration,weekend): A technician visit in {c} covers testing the line, replacing the
~ wall socket and any faulty cabling. | In {c}, the technician will test the line and replace
~ the socket or cabling if needed.
ASK(): Anything else I can help you with? | Is there anything else you'd like to know?
? Will I get a credit for the days my internet was down before {d}? | Do I get money back for
~ the outage days before {d}?
"""),
("flight_booking", "service a=city_us b=city_us d=date n=people", """
OPEN: Hi, I need a flight from {a} to {b} on {d} for {n} people. | Hello, can you help me find a
~ flight from {a} to {b} for {d}? There are {n} of us.
SOLO(a,b,d): What's the cheapest flight from {a} to {b} on {d}? | Find me the cheapest {a} to {b}
~ flight on {d}.
--
A: Of course! Are all {n} travelers adults? | Sure! Is everyone an adult, or are there children
~ too?
U: Yes, all adults. | All adults.
--
A: Is this one-way or a round trip? | Do you need a return flight as well?
U: Just one-way for now. | One-way is fine.
--
A: Do you have a preference for the time of day? | Do you prefer morning, afternoon or evening
~ departures?
U: Morning would be best. | Mornings if possible.
A: Noted. Any preferred airline? | Okay. Any airline you prefer?
U: No preference, whatever is cheapest and reliable. | Not really, just something reliable.
--
A: Will you be checking bags? | Are you bringing checked luggage?
U: One checked bag each. | Yes, one bag per person.
--
A: Do you need nonstop flights only, or is one stop okay? | Is a connection fine, or only
~ nonstop?
U: Nonstop if the price difference isn't huge. | I'd like nonstop unless it's much pricier.
--
A: Are any of the travelers members of a frequent flyer program? | Does anyone have a
~ frequent flyer number you'd like to add?
U: No, none of us. | Nope.
--
A: Do you have seat preferences, like aisle or window? | Any seat preferences?
U: We'd like to sit together if possible. | Together, ideally.
--
A: Is your date fixed, or could you fly a day earlier or later if it's cheaper? | Are you
~ flexible by a day or so if it saves money?
U: The date is fixed, I'm afraid. | No, it has to be {d}.
OFFER(a,b,d,n): I found a nonstop morning flight. I can {offer}. Would you like me to do that? |
~ There's a good nonstop option in the morning. I can {offer}. Shall I?
* book {n} seats on it from {a} to {b} on {d} | reserve {n} seats on that {a} to {b} flight on
~ {d}
* hold the fare for {n} travelers for 24 hours for free | put the fare for {n} people on a free
~ 24-hour hold
* set a price alert for {a} to {b} on {d} and book later | watch the {a} to {b} price for {d}
~ and alert you if it drops
LIST(a,b,d,n): Here are the best flights from {a} to {b} on {d} for {n} travelers:{options}¶Which
~ one should
~ I book? | I found these {a} to {b} flights on {d} for {n} travelers:{options}¶Which one works?
* 6:45 am nonstop, arrives 9:55 am, $189 per person
* 8:10 am nonstop, arrives 11:20 am, $214 per person
* 9:30 am with one stop, arrives 2:05 pm, $156 per person
* 11:00 am nonstop, arrives 2:15 pm, $198 per person
* 7:20 am with one stop, arrives 12:40 pm, $149 per person
INFO( / fee): The {a} to {b} morning flights are mostly on Airbus A320s, and the fare
~ includes a carry-on and a personal item. | Morning flights from {a} to {b} are mostly A320s;
~ the fare covers a carry-on plus a personal item.
ASK(a,b,d): Anything else you'd like me to check? | Any other questions about the flights?
? Is there a later nonstop from {a} to {b} on {d} in case our plans change? | If we change plans,
~ is there an afternoon nonstop {a} to {b} on {d}?
"""),
("hotel_booking", "service c=city_intl n=nights p=people d=date", """
OPEN: Hi, I'm looking for a hotel in {c} for {n} nights starting {d}, for {p} people. | Hello!
~ Can you help me find a hotel in {c}? {n} nights from {d}, {p} guests.
SOLO(c,n,d): What's a good mid-range hotel in {c} for {n} nights from {d}? | Recommend a
~ mid-priced hotel in {c} for {n} nights starting {d}.
--
A: I'd be glad to help! Would you like everyone in one room? | Happy to! Should I look for a
~ single room for the whole group?
U: One room if it fits everyone, otherwise two next to each other. | One room if possible, two
~ adjoining rooms otherwise.
--
A: What's your budget per night, roughly? | Do you have a nightly budget in mind?
U: Around $150 to $200 a night. | Somewhere between 150 and 200 dollars a night.
--
A: Which part of {c} would you like to stay in, central or somewhere quieter? | Would you prefer
~ the center of {c} or a quieter neighborhood?
U: Central, close to public transport. | Central, near a metro or train station.
--
A: Do you need breakfast included? | Should breakfast be included?
U: Yes, that would be nice. | Yes please.
--
A: Any must-have amenities, like a gym, a pool or parking? | Anything you definitely need, like
~ parking or a pool?
U: No parking needed, a gym would be a plus. | We don't have a car; a gym is a bonus.
--
A: Do you need a flexible rate with free cancellation? | Do you want a refundable rate, or is a
~ cheaper non-refundable one fine?
U: Free cancellation please, our plans might change. | Refundable, just in case.
--
A: Is this trip for business or leisure? | Are you traveling for work or vacation?
U: Vacation. | Just a holiday.
--
A: Do you have any accessibility needs I should filter for? | Are there any accessibility
~ requirements?
U: No, we're fine. | None, thanks.
OFFER(c,n,d,p): I found a well-reviewed hotel near the central station in {c}. I can {offer}.
~ Would you like that? | There's a highly rated hotel by the main station in {c}. I can {offer}.
~ Shall I go ahead?
* book a room for {p} for {n} nights from {d} with free cancellation | reserve a room for {p}
~ guests, {n} nights from {d}, fully refundable
* hold the room for {p} for 24 hours without payment | keep the room for {p} on hold for 24 hours
~ at no charge
* send you the details of three similar hotels in {c} to compare | email you three comparable
~ hotels in {c} to look over
LIST(c,n,d,p): Here are hotels in {c} for {n} nights from {d} for {p} guests:{options}¶Which one
~ would you like to book? | These hotels in {c} fit your dates ({n} nights from {d}, {p}
~ guests):{options}¶Which one should I book?
* Hotel Central Park: $182/night, breakfast, gym
* The Station House: $169/night, breakfast, free cancellation
* Riverside Suites: $195/night, breakfast, rooftop pool
* Maple Inn: $149/night, breakfast, no gym
* Old Town Lodge: $176/night, breakfast, free cancellation
INFO(c / price,kids): The best-rated option is Hotel Meridian in central {c}, two minutes
~ from the metro, with breakfast and a gym. | My top pick is Hotel Meridian in the middle of {c},
~ a short walk from the metro, with breakfast and a gym.
ASK(c): Anything else you'd like to know? | Any other questions about the stay?
? What time is check-in on {d}, and can we store bags early in {c}? | Can we drop our bags before
~ check-in on {d}, and what time does check-in start?
"""),
("destination_advice", "c=city_intl m=month_warm", """
OPEN: Hi! I'm thinking about visiting {c} in {m}. | Hey, I'm considering a trip to {c} in {m}.
SOLO(c,m): What's the weather like in {c} in {m}? | How hot does {c} get in {m}?
--
A: That sounds like a great trip! Who are you traveling with? | Fun! Are you going alone or with
~ others?
U: With my partner. | Me and my partner.
--
A: How long are you planning to stay? | How many days do you have?
U: About a week. | Roughly seven days.
--
A: What kind of things do you enjoy on vacation: food, museums, nature, nightlife? | What do you
~ like doing when you travel: food, culture, outdoors?
U: Mostly food and walking around neighborhoods, some museums. | Food, exploring on foot, and a
~ few museums.
--
A: Have you been to {c} before? | Is this your first time in {c}?
U: No, first time. | Yes, first time.
--
A: Do you prefer a busy city center base or a quieter area? | Do you want to stay somewhere
~ lively or more relaxed?
U: Somewhere central but not too loud. | Central but calm if possible.
--
A: Are you comfortable using public transport, or would you rather walk and take taxis? | Would
~ you use public transport, or mostly walk?
U: Public transport is fine. | Metro and buses are totally fine.
--
A: Do you have any dietary restrictions I should keep in mind for food tips? | Any dietary needs
~ for restaurant suggestions?
U: None, we eat everything. | No restrictions.
--
A: Is budget a big concern, or are you happy to splurge a bit? | Are you on a tight budget?
U: Mid-range, we can splurge on one or two nice dinners. | Moderate, with a couple of fancy
~ meals.
INFO(c / winter,kids): In {m}, {c} is generally warm with long days, so it's great for walking
~ and eating outside, though popular sights get crowded. | {c} in {m} is usually warm with long
~ daylight hours: good for outdoor dining and walking, but expect crowds at the main sights.
OFFER(c,m): I can {offer}. Would you like that? | If it helps, I can {offer}. Shall I?
* put together a seven-day itinerary for {c} in {m} | draft a one-week plan for {c} in {m}
* list the best food neighborhoods in {c} | give you a list of the best areas in {c} for food
* suggest day trips from {c} that are good in {m} | recommend day trips from {c} that suit {m}
ASK(c): Anything else you'd like to know about {c}? | What else can I tell you about the trip?
? Do I need to book museums in {c} in advance in {m}? | Should we reserve museum tickets ahead
~ of time for {c} in {m}?
"""),
("train_travel", "service r=route d=date n=people", """
OPEN: Hi, I want to take the train from {r.0} to {r.1} on {d}, {n} people. | Hello, I'm planning
~ a train trip from {r.0} to {r.1} on {d}; there are {n} of us.
SOLO(r,d): What trains go from {r.0} to {r.1} on {d}? | Which trains run between {r.0} and {r.1}
~ on {d}?
--
A: Great choice, that's a nice route! Are all {n} of you adults? | Happy to help! Is anyone under
~ 26 or over 60? Some discounts depend on age.
U: Yes, all adults. | No, none of us.
--
A: What time would you like to leave {r.0}? | When do you want to depart from {r.0}?
U: Sometime in the morning. | Before noon ideally.
--
A: Do you want first class or standard class? | First or second class?
U: Standard is fine. | Standard class.
--
A: Do any of you have a railcard or discount card? | Does anyone have a rail discount card?
U: No, we don't. | No.
--
A: Do you need a return journey too? | Will you be coming back by train as well?
U: Not yet, we're not sure when we'll come back. | Maybe, but the return date isn't fixed.
--
A: Would you like seat reservations next to each other? | Should I reserve seats together?
U: Yes, together if possible. | Yes please.
--
A: Are you traveling with large luggage or a bike? | Any bulky luggage or bicycles?
U: Just two suitcases. | Only regular suitcases.
--
A: Do you prefer a direct train even if it costs a bit more? | Is a direct train important to
~ you, even at a slightly higher fare?
U: Direct would be best. | Yes, direct please.
OFFER(r,d,n): There's a direct morning train. I can {offer}. Should I go ahead? | I see a good
~ direct train in the morning. I can {offer}. Would you like that?
* book {n} standard seats together from {r.0} to {r.1} on {d} | reserve {n} seats together in
~ standard class, {r.0} to {r.1}, on {d}
* compare it with flights from {r.0} to {r.1} on {d} | check how it compares with flying from
~ {r.0} to {r.1} that day
* set a fare alert for {r.0} to {r.1} on {d} | alert you if the {r.0} to {r.1} fare for {d}
~ drops
LIST(r,d,n): These are the morning trains from {r.0} to {r.1} on {d} for {n}:{options}¶Which one
~ should I book? | Morning departures from {r.0} to {r.1} on {d} ({n} travelers):{options}¶Which
~ one do you want?
* 7:04 departure, direct, quiet coach available
* 8:32 departure, direct
* 9:15 departure, one change, lowest fare
* 10:46 departure, direct, dining car
* 11:20 departure, one change
INFO(r / weekend,price,duration): Trains from {r.0} to {r.1} run about every hour, mostly
~ direct, and you can buy tickets on the app. | Between {r.0} and {r.1} there's roughly one
~ train an hour, most of them direct; tickets are sold in the app.
ASK(r): Anything else about the journey? | Any other questions about the trip?
? Is there a dining car on the {r.0} to {r.1} trains on {d}? | Can we get food on board on the
~ {r.0} to {r.1} train on {d}?
"""),
("laptop_wifi", "l=laptop", """
OPEN: Hi, my {l.0} won't connect to Wi-Fi anymore. | Hey, my {l.0} suddenly can't connect to
~ Wi-Fi.
SOLO(l): How do I reset the network settings on my {l.0} running {l.1}? | What are the steps to
~ reset networking on my {l.0} ({l.1})?
--
A: Sorry you're dealing with that! Do other devices connect to the same network fine? | Let's
~ figure it out. Are other devices working on the same Wi-Fi?
U: Yes, my phone works fine on it. | Yeah, my phone and TV are fine.
--
A: Good, so the router is okay. Which operating system version are you on? | That narrows it
~ down. What OS is the laptop running?
U: {l.1}. | It's on {l.1}.
--
A: Did this start after an update? | Did it stop working after a software update?
U: Maybe, it installed updates two days ago. | I think there was an update this week.
--
A: Does the laptop see your network in the list at all? | Can you see your network name in the
~ Wi-Fi list?
U: Yes, it shows up, but it says it can't connect. | It shows up but fails to connect.
--
A: Have you tried forgetting the network and joining again? | Did you try removing the saved
~ network and reconnecting?
U: Yes, and I typed the password again, same thing. | I did, same result.
--
A: Is airplane mode off and is the Wi-Fi switch on? | Just to check: airplane mode is off and
~ Wi-Fi is enabled?
U: Yes, both are fine. | Yes.
--
A: Are you using a VPN or security software? | Do you have a VPN or antivirus with a firewall
~ installed?
U: There's a VPN for work, but it's turned off. | I have a work VPN, not running right now.
--
A: Does it connect to other networks, like a phone hotspot? | Have you tried a hotspot from your
~ phone?
U: No, the hotspot fails too. | The hotspot doesn't work either.
A: Then the problem is on the laptop side, most likely the network settings or the driver. |
~ So it's the laptop itself, probably its network configuration or driver.
U: Okay, that makes sense. | Got it.
OFFER(l): Thanks for checking all that. I can {offer}. Want to try that? | Okay. Next I can
~ {offer}. Shall we do that?
* walk you through resetting the network settings on {l.1} | guide you through a network reset
~ on {l.1}
* show you how to reinstall the Wi-Fi driver on your {l.0} | explain how to reinstall the
~ wireless driver on the {l.0}
* help you roll back the last update on {l.1} | take you through undoing the latest {l.1}
~ update
INFO(l / why): On {l.1}, a network reset removes saved networks and VPN adapters and
~ reinstalls the network components. | A network reset on {l.1} deletes saved Wi-Fi networks
~ and VPN adapters and sets network components back to default.
INFO( / duration): On {l.1}, a network reset removes saved networks and VPN adapters and
~ reinstalls the network components. | A network reset on {l.1} deletes saved Wi-Fi networks
~ and VPN adapters and sets network components back to default.
LIST(l): Here are the fixes I'd try on your {l.0}, in no particular order:{options}¶Which one do
~ you want to start with? | These are the options for your {l.0}:{options}¶Which should we try
~ first?
* reset the network settings
* reinstall the Wi-Fi driver
* roll back the last update
* run the built-in network troubleshooter
* renew the IP address from the command line
ASK(): Anything else you want to know first? | Any questions before we start?
? Will resetting the network on my {l.0} delete my files? | Do I lose any files if I reset the
~ network settings on the {l.0}?
"""),
("printer_help", "p=printer", """
OPEN: Hi, my {p} prints blank pages all of a sudden. | Hello, my {p} is printing empty pages.
SOLO(p): Why does my {p} print blank pages? | My {p} keeps printing blank pages, how do I fix it?
--
A: That's frustrating! Is it completely blank, or faded? | Sorry about that. Are the pages fully
~ blank or just very faint?
U: Completely blank. | Totally white.
--
A: When did you last replace the ink or toner? | How long ago did you change the ink or toner?
U: About a month ago. | A few weeks ago.
--
A: Did you use original cartridges or third-party ones? | Were the new cartridges from the
~ manufacturer or another brand?
U: Cheaper third-party ones from online. | Generic ones I bought online.
--
A: Did you remove the protective tape from the new cartridge? | Was the plastic seal taken off
~ the new cartridge?
U: Yes, I did. | Yep.
--
A: Does the printer's own test page print, or is that blank too? | Can you print a test page
~ from the printer's menu, and is it blank too?
U: The test page is blank too. | Also blank.
A: That means it isn't your computer, the printer itself isn't putting ink down. | So it's not a
~ computer problem; the printer isn't applying ink.
U: Okay. | I see.
--
A: Is it printing from every app, or only one program? | Is it blank from every program?
U: Every app. | All of them.
--
A: Has the printer been unused for a long time? | Was the printer sitting unused for a while?
U: It sat unused for a few weeks before I changed the cartridge. | It wasn't used for a few
~ weeks.
--
A: Is it connected by USB or Wi-Fi? | How is it connected, USB or wireless?
U: Wi-Fi. | Over Wi-Fi.
OFFER(p): Thanks. I can {offer}. Would you like to do that? | Okay, next I can {offer}. Shall we?
* walk you through running a print head cleaning on the {p} | guide you through a head-cleaning
~ cycle on the {p}
* help you check whether the {p} recognizes the third-party cartridge | show you how to check if
~ the {p} accepts the generic cartridge
* help you book a repair under the {p} warranty | set up a warranty repair for the {p}
INFO( / why): On the {p}, blank pages after a cartridge change usually come from dried
~ ink in the print head or a cartridge the printer doesn't recognize. | With the {p}, blank
~ prints after swapping cartridges are usually dried ink in the head or an unrecognized cartridge.
ASK(): Anything else before we start? | Any questions before we continue?
? Will a head cleaning on the {p} use up a lot of ink? | How much ink does a cleaning cycle on
~ the {p} waste?
"""),
("bank_card", "support cd=card d=date", """
G: Hello, you're chatting with Harbor Bank. How can I help? | Hi, welcome to Harbor Bank support.
~ What can I do for you today?
OPEN: Hi, I think I lost my {cd}. | Hello, I can't find my {cd} anywhere.
SOLO(cd): How do I freeze my Harbor Bank {cd} in the app? | What are the steps to lock my {cd}
~ in the Harbor Bank app?
--
A: I'm sorry to hear that, let's make sure your money is safe. When did you last use it? | Let's
~ secure your account. When did you last use the card?
U: On {d}, at a grocery store. | The last time was {d}, at the supermarket.
--
A: Thanks. Do you see any transactions you don't recognize since then? | Are there any charges
~ since then that you don't recognize?
U: No, everything looks like mine. | None that I can see.
--
A: Good. Could it be at home or in a jacket pocket? | Is there any chance it's just misplaced at
~ home?
U: I've looked everywhere, I think it fell out of my wallet. | I searched the house, I think I
~ dropped it.
--
A: Do you have any automatic payments on this {cd}, like subscriptions? | Are any recurring
~ bills charged to the {cd}?
U: Yes, my phone bill and a streaming service. | My phone bill and one subscription.
--
A: Is your mailing address still current? | Is the address we have on file still correct?
U: Yes, it hasn't changed. | Yes.
--
A: Do you use the card with Apple Pay or Google Pay? | Is the card added to a mobile wallet?
U: Yes, it's on my phone. | Yes, Google Pay.
A: Good to know. A mobile wallet uses the same card number, so it's affected by anything we do
~ to the card. | Thanks. The wallet uses the same card, so any change to the card applies to it
~ too.
U: Makes sense. | Ok.
--
A: Are you traveling right now, or at home? | Are you currently abroad or at home?
U: At home. | I'm home.
OFFER(cd): Thanks for confirming. I can {offer}. Should I do that? | Okay. I can {offer}. Would
~ you like me to go ahead?
* freeze the {cd} temporarily, so you can unfreeze it if it turns up | put a temporary freeze on
~ the {cd} that you can lift if you find it
* cancel the {cd} for good and send you a replacement | permanently cancel the {cd} and mail a
~ new one
* cancel the {cd} and send an express replacement in 1-2 business days for $25 | block the {cd}
~ and send an express replacement within 1-2 business days for a $25 fee
LIST(cd): Here's what we can do with the {cd}:{options}¶Which would you like? | These are your
~ options for the {cd}:{options}¶Which should I do?
* freeze it temporarily
* cancel it and send a standard replacement
* cancel it and send an express replacement
* cancel it without a replacement
INFO( / fee,duration): A replacement {cd} comes with a new number and is mailed to your
~ address on file. | If we replace the {cd}, you get a new card number and the card is posted to
~ your address on file.
ASK(): Anything else I can help with? | Any other questions?
? Will my automatic payments still go through after I cancel the {cd}? | If the {cd} is
~ cancelled, what happens to my recurring payments?
"""),
("bank_transfer", "support x=dest m=amount", """
G: Hi, this is Harbor Bank. How can I help today? | Welcome to Harbor Bank online support!
OPEN: Hi, I need to send {m} to my sister in {x.0}. | Hello, I'd like to transfer {m} to my
~ sister's account in {x.0}.
SOLO(x,m): How much does Harbor Bank charge to send {m} to {x.0}? | What's the fee for sending
~ {m} to a bank in {x.0}?
--
A: I can help with that. Does your sister already have a bank account in {x.0}? | Sure. Is the
~ money going into her bank account in {x.0}?
U: Yes, she does. | Yes, she has a local account.
--
A: Do you have her bank details, like the account number and the bank's SWIFT code? | Do you
~ have her account number and the SWIFT/BIC code of her bank?
U: Yes, I have both. | I do.
--
A: Should she receive it in {x.1}, or in dollars? | Do you want her to get {x.1} or US dollars?
U: In {x.1}, please. | Please send it in {x.1}.
--
A: Which of your accounts should the money come from? | From which account should I send it?
U: My checking account. | Checking.
--
A: Is this a one-time transfer, or would you like it to repeat monthly? | Is this a single
~ payment or a monthly one?
U: Just this once. | One time.
--
A: What's the purpose of the payment? We're required to ask for international transfers. |
~ Could you tell me the reason for the transfer? It's a regulatory question.
U: It's a gift to help with her rent. | Family support, a gift for her rent.
--
A: Thanks. Have you sent money to her before through us? | Have you transferred to this account
~ before?
U: No, this is the first time. | No, first time.
A: Then we'll add her as a new payee, which needs a one-time code sent to your phone. | Okay,
~ then she'll be added as a new recipient, confirmed with a code texted to you.
U: Fine. | That's fine.
OFFER(x,m): I can {offer}. Shall I go ahead? | Thanks. I can {offer}. Would you like that?
* send the {m} today by standard international transfer in {x.1} | transfer the {m} to {x.0}
~ today as a standard international payment in {x.1}
* schedule the {m} transfer to {x.0} for next Monday | set up the {m} payment to {x.0} for next
~ Monday
* send the {m} by express transfer, arriving in {x.0} within a day | make it an express
~ transfer so the {m} reaches {x.0} within one day
LIST(x,m): Here's how we can send {m} to {x.0}:{options}¶Which would you like? | You can send the
~ {m} to {x.0} in these ways:{options}¶Which one should I use?
* standard transfer, $15 fee, 2-4 business days
* express transfer, $35 fee, next business day
* partner remittance service, $5 fee, same day
* scheduled transfer next Monday, $15 fee
INFO(x / fee,duration): Transfers to {x.0} go through the SWIFT network, and your sister
~ receives the money in {x.1}. | We send payments to {x.0} over SWIFT, and they're paid out in
~ {x.1}.
INFO( / weekend): Transfers to {x.0} go through the SWIFT network, and your sister
~ receives the money in {x.1}. | We send payments to {x.0} over SWIFT, and they're paid out in
~ {x.1}.
ASK(x,m): Anything else before I set it up? | Any other questions?
? How many {x.1} will my sister get for {m}? | What will {m} come to in {x.1}?
"""),
("bank_dispute", "support mc=merchant m=amount d=date", """
G: Hello, you've reached Harbor Bank. How can I help? | Hi! Harbor Bank support here. What can I do
~ for you?
OPEN: Hi, there's a charge of {m} from {mc} on my statement that I don't recognize. | Hello, I see
~ a {m} charge from {mc} that I didn't make.
SOLO(mc,m): How do I dispute a {m} charge from {mc} with Harbor Bank? | What's the process for
~ disputing a {m} payment to {mc}?
--
A: I'm sorry about that, let's look into it. What date does the charge show? | Let's sort this
~ out. What date is the charge from?
U: It's dated {d}. | {d}.
--
A: Thanks. Have you ever shopped with {mc} before? | Do you have any history with {mc}?
U: Once, about a year ago. | I bought something from them a long time ago.
--
A: Could someone in your household have used your card? | Might a family member have used the
~ card?
U: No, I live alone. | No, it's only me.
--
A: Do you still have the card in your possession? | Is your card still with you?
U: Yes, it's in my wallet. | Yes.
--
A: Have you contacted {mc} directly about it? | Did you reach out to {mc} yourself?
U: I tried, but nobody answered. | Yes, but I got no reply.
--
A: Are there any other charges you don't recognize? | Do you see any other suspicious
~ transactions?
U: No, just this one. | Only this one.
--
A: Did you get any text or email from us asking you to confirm a purchase? | Did we send you any
~ alert about this purchase?
U: No, nothing. | No.
A: Thanks. Since there was no alert and nothing else looks off, the card number was most likely
~ used online. | Then it was probably an online purchase made with your card number.
U: That's worrying. | Great, that's scary.
OFFER(mc,m): I can {offer}. Would you like me to do that? | Here's what I can do: {offer}. Should I
~ go ahead?
* open a dispute for the {m} {mc} charge and give you a provisional credit today | file a
~ dispute on the {m} from {mc} and credit it back provisionally today
* block future charges from {mc} and send you a new card number | stop all payments to {mc} and
~ issue a card with a new number
* flag the {m} charge and ask {mc} for the transaction details first | mark the {m} charge and
~ request the details from {mc} before disputing
INFO( / duration,online): For the {m} charge from {mc}, a dispute means we investigate with
~ the merchant and you're not responsible while it's open. | If we dispute the {m} from {mc},
~ we investigate it with them and you don't owe it while it's under review.
ASK(): Anything else I can help with? | Is there anything else?
? Will I get the {m} back if {mc} proves the purchase was made with my card? | What happens to
~ the {m} if {mc} can show the card was used?
"""),
("bank_savings", "support m=deposit", """
G: Hi, welcome to Harbor Bank! How can I help? | Hello, Harbor Bank here. What can I do for you?
OPEN: Hi, I'd like to open a savings account and put {m} in it. | Hello, I want to start saving
~ and deposit {m} into a new savings account.
SOLO(m): How much interest would {m} earn in a year in a Harbor Bank high-yield savings
~ account? | What would {m} earn over a year in your high-yield savings?
--
A: Great idea! Is this an emergency fund or are you saving for something specific? | Good plan!
~ What are you saving for?
U: An emergency fund mostly. | Mainly for emergencies.
--
A: Do you need to be able to take money out at any time? | How quickly might you need to access
~ the money?
U: Yes, I might need it on short notice. | I'd want access anytime.
--
A: Will you add money every month? | Do you plan to deposit regularly?
U: Yes, about $200 a month. | Around $200 monthly.
--
A: Do you already have a checking account with us? | Are you already a Harbor Bank checking
~ customer?
U: Yes, I do. | Yes.
--
A: Would you like to set up automatic transfers from checking? | Shall we automate the monthly
~ deposits from checking?
U: Yes, that would help. | Sure, that's a good idea.
--
A: Do you prefer managing it in the app or at a branch? | Will you use the app, or go to a
~ branch?
U: Mostly the app. | The app.
--
A: Would you like paper statements or electronic ones? | Paper or e-statements?
U: Electronic. | E-statements please.
LIST(m): Here are our savings accounts for a {m} deposit:{options}¶Which one would you like to
~ open? | These are the savings options for {m}:{options}¶Which should I open for you?
* High-Yield Savings: 4.10% APY, no minimum
* Everyday Savings: 0.50% APY, free withdrawals
* 12-Month CD: 4.60% APY, locked for a year
* Money Market: 3.80% APY, check writing
* 6-Month CD: 4.35% APY, locked for six months
OFFER(m): I can {offer}. Would you like that? | What I can do is {offer}. Shall I?
* open a High-Yield Savings account today with your {m} | open a High-Yield Savings account and
~ move the {m} in today
* open a 12-Month CD with the {m} | put the {m} into a 12-month CD
* book a call with an advisor to talk about investing the {m} | set up an advisor call about
~ investing the {m}
INFO( / fee,online,why): Our High-Yield Savings pays 4.10% APY on balances like {m} and has no
~ minimum balance. | With {m} in High-Yield Savings you'd earn 4.10% APY, with no minimum
~ balance.
ASK(): Anything else you'd like to know? | Any other questions?
? Is the {m} insured if the bank fails? | Would my {m} be protected by deposit insurance?
"""),
("python_error", "e=py_error", """
OPEN: Hi, my Python script that processes records from an API crashes with {e.0}. | I keep
~ getting this error in a Python script that handles API data: {e.0}
SOLO(e): What does {e.0} mean in Python? | Why does Python raise {e.0}?
--
A: Happy to help! Could you share the line where it fails? | Sure. Which line does the
~ traceback point to?
U: It's inside the loop over the records. | In the for loop that goes through the records.
--
A: Which Python version are you using? | What version of Python is this?
U: 3.11. | Python 3.11.
--
A: Does it fail on every record or only some of them? | Is it failing for all inputs or only
~ certain ones?
U: Only for some records. | Just a few of them.
A: That suggests the data isn't always in the shape the code expects. Do you validate the
~ response before processing? | Sounds like some records look different. Is the response
~ checked before you process it?
U: No, I just loop over it. | No validation, I loop straight over it.
--
A: Are you using a library like requests to fetch it? | Do you fetch the data with requests?
U: Yes, requests, then .json(). | Yes, requests and .json().
--
A: Is this running in a script or a notebook? | Is it a script or a Jupyter notebook?
U: A script that runs every hour. | A cron script.
--
A: Do you log the records that fail? | Are failing records logged anywhere?
U: Not yet. | No.
--
A: Okay. Are you able to change the API, or only your code? | Do you control the API or only the
~ client?
U: Only my code. | Just my side.
INFO(e / example,js,why,simpler): {e.0} means {e.1}. It's common with API data where some
~ records are missing fields or have unexpected values. | You get {e.0} when {e.1}; with API data
~ that usually means some records are missing fields or contain unexpected values.
OFFER(e): I can {offer}. Want me to do that? | Next, I can {offer}. Shall I?
* rewrite the function so it handles {e.0} and skips bad records | rework the function to guard
~ against {e.0} and skip bad records
* add logging that prints the record causing {e.0} | add logging so you can see the record that
~ triggers {e.0}
* write a unit test that reproduces {e.0} | write a test case that triggers {e.0}
ASK(e): Anything else about the error? | Any other questions on this?
? Should I catch {e.0} with try/except or check the data first? | Is it better to wrap it in
~ try/except for {e.0} or validate the data before?
"""),
("sql_help", "t=table c=column", """
OPEN: Hi, I need help with a SQL query that counts rows in my {t} table by {c}. | Hey, can you
~ help me write a SQL query that counts {t} rows per {c}?
SOLO(t,c): How do I count rows in {t} grouped by {c} in SQL? | Write a SQL query that counts the
~ rows of {t} per {c}.
--
A: Of course! Which database are you using? | Sure. What database is it?
U: PostgreSQL 15. | Postgres 15.
--
A: How many rows does the {t} table have, roughly? | About how large is the {t} table?
U: Around 20 million. | Roughly 20 million rows.
--
A: What time range should the counts cover? | Should the counts cover all time or a date range?
U: Just the last 30 days. | The past month only.
--
A: Is there an index on {c}? | Is {c} indexed?
U: I don't think so. | Not that I know of.
--
A: How often will this query run? | Is this a one-off or will it run regularly?
U: Every few minutes on a dashboard. | It powers a dashboard, so often.
--
A: Is the {t} table written to heavily at the same time? | Does the {t} table get a lot of
~ writes?
U: Yes, constantly. | Yes, lots of inserts.
--
A: Do you need exact counts or would approximate ones be okay? | Could the dashboard live with
~ approximate numbers?
U: Exact would be better. | Exact, please.
--
A: Are there NULLs in {c}? | Can {c} be NULL?
U: Yes, a few. | Some rows have NULL there.
INFO(t,c / example): For counts per {c} in {t}, use GROUP BY {c} with a WHERE on the
~ date range; an index on {c} will help a lot with 20 million rows. | Group {t} by {c} and filter
~ on the date; with 20 million rows an index on {c} makes a big difference.
INFO( / why,simpler): For counts per {c} in {t}, use GROUP BY {c} with a WHERE on the
~ date range; an index on {c} will help a lot with 20 million rows. | Group {t} by {c} and filter
~ on the date; with 20 million rows an index on {c} makes a big difference.
OFFER(t,c): I can {offer}. Would you like that? | I can {offer}. Should I?
* write the GROUP BY query on {t} by {c} for the last 30 days | draft the query that counts {t}
~ per {c} over the last 30 days
* write the CREATE INDEX statement for {c} on {t} | give you the statement to index {t}.{c}
* set up a materialized view of the {t} counts by {c} that refreshes every few minutes | create
~ a materialized view of {t} counts per {c} refreshed every few minutes
ASK(): Anything else? | Any other questions?
? Will creating an index on {t}.{c} lock the table? | Does adding an index on {c} block writes to
~ {t}?
"""),
("git_help", "br=branch", """
OPEN: Hi, I have merge conflicts when I try to merge {br} into main. | Hey, merging {br} into main
~ gives me a bunch of conflicts.
SOLO(br): How do I undo a merge of {br} into main that I already pushed? | I pushed a merge of
~ {br} into main; how do I revert it?
--
A: No worries, that's very common! How many files have conflicts? | Happens to everyone! How
~ many files are conflicting?
U: Five files. | About five.
--
A: Is {br} shared with other people, or just yours? | Are other people working on {br} too?
U: Two of us work on it. | My teammate and me.
--
A: Has {br} already been pushed to the remote? | Is {br} on the remote already?
U: Yes, it's pushed. | Yes.
--
A: Does your team prefer a linear history? | Does your team care about keeping history linear?
U: Not strictly, but it would be nice. | Kind of, but it's not a rule.
--
A: Are the conflicts in code or in generated files like lock files? | Are they code conflicts or
~ things like lock files?
U: Mostly code, one is package-lock.json. | Code mostly, plus package-lock.json.
--
A: Which tool do you use to resolve conflicts? | Do you resolve conflicts in an editor or the
~ terminal?
U: VS Code. | Usually VS Code.
--
A: How far behind main is {br}? | How many commits is {br} behind main?
U: About 40 commits. | Roughly 40.
--
A: Do you have uncommitted changes right now? | Is your working tree clean?
U: No, everything is committed. | Yes, it's clean.
LIST(br): You have a few ways to get {br} into main:{options}¶Which approach do you want to
~ use? | Here are the ways to bring {br} into main:{options}¶Which would you like to go with?
* merge main into {br}, fix conflicts, then merge
* rebase {br} onto main and force-push
* squash {br} into a single commit on main
* cherry-pick the important commits onto a new branch
INFO(br / example): For {br}, merging main into it first lets you resolve the conflicts on
~ the branch without touching main. | With {br}, you can merge main into the branch and fix
~ the conflicts there, keeping main untouched.
INFO( / why): For {br}, merging main into it first lets you resolve the conflicts on
~ the branch without touching main. | With {br}, you can merge main into the branch and fix
~ the conflicts there, keeping main untouched.
OFFER(br): I can {offer}. Want me to? | I can {offer}. Shall I?
* walk you through rebasing {br} onto main step by step | guide you through a rebase of {br}
~ onto main
* show the commands to merge main into {br} and resolve the conflicts | give you the commands to
~ merge main into {br} and fix the conflicts
* explain how to regenerate package-lock.json instead of fixing it by hand | show how to rebuild
~ package-lock.json rather than resolving it manually
ASK(): Anything else? | Any other questions?
? Will rebasing {br} mess up my teammate's copy? | If I rebase {br}, what happens to my teammate's
~ local branch?
"""),
("recipe_help", "dh=dish s=servings", """
OPEN: Hi! I want to make {dh.0} for dinner tonight for {s} people. | Hey, I'm planning to cook
~ {dh.0} tonight; there will be {s} of us.
SOLO(dh,s): How much of each ingredient do I need for {dh.0} for {s} people? | What quantities
~ do I need to make {dh.0} for {s}?
--
A: Yum, good choice! Is it for a special occasion? | Sounds delicious! Is it a regular dinner or
~ something special?
U: Just a relaxed family dinner. | Nothing special, just family.
--
A: Any allergies or dietary restrictions among your guests? | Does anyone have allergies or
~ things they don't eat?
U: No allergies. | None.
--
A: How much time do you have for cooking? | How long can you spend in the kitchen?
U: About two hours, including prep. | A couple of hours total.
--
A: What equipment do you have: oven, stovetop, slow cooker? | Do you have an oven and a stove?
U: A normal oven and stovetop. | Just a regular oven and stove.
--
A: How confident are you in the kitchen? | Are you an experienced cook or a beginner?
U: I'm okay, not a pro. | Intermediate, I'd say.
--
A: Do you want it mild or spicy? | How spicy do you like it?
U: Medium. | A bit of heat, not too much.
--
A: Would you like a side dish suggestion too? | Do you also need a side to go with it?
U: Maybe a simple salad. | A salad would be nice.
--
A: Do you already have the ingredients, or will you shop first? | Are you going grocery
~ shopping first?
U: I'll go shopping this afternoon. | I still need to buy everything.
INFO(dh / vegetarian,duration,kids): {dh.0} is a comforting dish that's easy to scale up, and
~ most of the ingredients keep well. | Classic {dh.0} is forgiving, scales up easily, and uses
~ ingredients that keep well.
OFFER(dh,s): I can {offer}. Want me to? | Great. I can {offer}. Shall I?
* write a shopping list for {dh.0} for {s} people | make you a grocery list for {dh.0} for {s}
* give you the full {dh.0} recipe scaled to {s} servings | send the complete {dh.0} recipe for {s}
~ servings
* plan a prep timeline so {dh.0} for {s} is ready by 7 pm | draw up a schedule to have {dh.0} for
~ {s} on the table at 7 pm
LIST(dh): Here are a few ways to make {dh.0}:{options}¶Which version would you like the recipe
~ for? | There are several takes on {dh.0}:{options}¶Which one should I give you?
* the classic version
* a quick weeknight version
* a lighter version
* a make-ahead version
* a one-pot version
ASK(dh): Anything else? | Any other questions about dinner?
? Can I make the {dh.0} for {s} a day ahead and reheat it? | Is it ok to cook the {dh.0} for {s}
~ people the day before?
"""),
("medication", "dr=drug", """
OPEN: Hi, I have a question about {dr.0}. | Hello, can I ask you something about {dr.0}?
SOLO(dr): What's the usual adult dose of {dr.0}? | How much {dr.0} can an adult take in a day?
--
A: Of course. What are you taking it for? | Sure! What do you plan to use it for?
U: For {dr.2}. | I've got {dr.2}.
--
A: Sorry to hear that. Is the {dr.0} for you, an adult? | I'm sorry. Is it for yourself, and
~ are you an adult?
U: Yes, I'm 34. | Yes, for me, I'm 34.
--
A: Do you take any other medications regularly? | Are you on any other medicines?
U: Just a daily vitamin. | Only vitamins.
--
A: Do you have any conditions like stomach ulcers, kidney problems or high blood pressure? | Any
~ history of ulcers, kidney issues or high blood pressure?
U: No, none of those. | No.
--
A: Are you pregnant or breastfeeding? | Could you be pregnant, or are you breastfeeding?
U: No. | No, I'm not.
--
A: How often do you drink alcohol? | Do you drink alcohol, and how much?
U: A glass of wine on weekends. | Rarely, a drink on the weekend.
--
A: How long have you had these symptoms? | When did this start?
U: Since the day before yesterday. | About two days.
--
A: Have you ever had an allergic reaction to a medicine? | Any past allergic reactions to
~ medications?
U: No, never. | Not that I know of.
INFO(dr / side_effects,kids): {dr.0} is {dr.1}. Take it with food and water, and don't exceed
~ the dose on the label. | {dr.0} is {dr.1}; it's best taken with food, and you shouldn't go over
~ the label dose.
OFFER(dr): I can {offer}. Would that help? | If it's useful, I can {offer}. Want that?
* explain how to take {dr.0} safely for a few days | go over how to use {dr.0} safely for a
~ short course
* compare {dr.0} with other over-the-counter options | compare {dr.0} with other options you can
~ buy without a prescription
* list the warning signs that mean you should see a doctor | tell you which symptoms mean you
~ should get checked by a doctor
ASK(): Anything else you'd like to know? | Any other questions about it?
? Can I take {dr.0} together with my vitamins? | Is it ok to take {dr.0} with a daily vitamin?
"""),
("sleep_help", "sa=sleep_aid", """
OPEN: Hi, I've been sleeping badly and a friend suggested {sa.0}. | Hey, I can't sleep well
~ lately and someone recommended {sa.0}.
SOLO(sa): Does {sa.0} actually help you fall asleep? | Is {sa.0} effective for insomnia?
--
A: Sorry you're not sleeping well! Is the problem falling asleep or staying asleep? | That's
~ rough. Do you struggle to fall asleep, or do you wake up at night?
U: Mostly falling asleep, it takes me over an hour. | Falling asleep, I lie awake for an hour.
--
A: How long has this been going on? | When did this start?
U: About a month. | A few weeks, maybe a month.
--
A: Has anything changed recently, like stress or a new schedule? | Has anything changed lately,
~ work, stress, routines?
U: New job, more stress. | I started a new job and it's stressful.
--
A: Do you drink coffee or energy drinks after lunch? | How much caffeine do you have, and when?
U: One coffee around 3 pm. | A coffee mid-afternoon.
--
A: Do you use screens in bed? | Do you look at your phone in bed?
U: Yes, I scroll on my phone. | Yeah, usually.
--
A: How old are you, roughly? | May I ask your age?
U: 29. | I'm 29.
--
A: Do you take any medications? | Are you taking any medicines regularly?
U: No. | Nothing.
--
A: Do you snore or wake up gasping? | Has anyone said you snore loudly?
U: Not that I know of. | No.
INFO(sa / side_effects,kids,why): {sa.0} is {sa.1}. For trouble falling asleep it's usually
~ taken 30 to 60 minutes before bed, for short periods. | {sa.0} is {sa.1}; people usually take
~ it half an hour to an hour before bed, and only for a short time.
OFFER(sa): I can {offer}. Would you like that? | If you want, I can {offer}.
* explain how to try {sa.0} safely | go through how to use {sa.0} safely
* put together a two-week sleep routine to try before {sa.0} | build a two-week sleep plan to
~ try first, before {sa.0}
* compare {sa.0} with other sleep aids | compare {sa.0} with other options
ASK(sa): Anything else? | Any other questions?
? Is it ok to take {sa.0} every night? | Can I use {sa.0} nightly?
"""),
("car_claim", "support v=vehicle inc=incident d=date", """
G: Hi, you're chatting with Shield Auto Insurance claims. How can I help? | Hello, this is Shield
~ Auto Insurance. What can I do for you?
OPEN: Hi, I need to file a claim for my {v}: {inc}. | Hello, I want to report {inc} involving my
~ {v}.
SOLO(v,inc): Does my Shield policy cover {inc} on a {v}? | Is {inc} on my {v} covered by Shield
~ comprehensive insurance?
--
A: I'm sorry that happened, is everyone okay? | Sorry to hear that. Was anyone hurt?
U: Yes, nobody was hurt. | Everyone's fine.
A: Glad to hear it. When did it happen? | Good. What date did it happen?
U: On {d}. | {d}.
--
A: Where is the {v} right now? | Where's the car now?
U: In my driveway, it's drivable. | At home, I can still drive it.
--
A: Do you have photos of the damage? | Did you take pictures?
U: Yes, several. | Yes, a few.
--
A: Was a police report filed? | Did police come or file a report?
U: No, it wasn't needed. | No.
--
A: Thanks. Do you have a preferred repair shop? | Is there a body shop you'd like to use?
U: Not really, I'd take a recommendation. | No, any good one.
--
A: Do you need a rental car while it's being repaired? | Will you need a rental during the
~ repair?
U: Yes, I need a car for work. | Yes, I commute by car.
--
A: Your policy has a $500 deductible for this kind of claim. | Just so you know, your deductible
~ for this is $500.
U: Okay, understood. | Ok.
OFFER(v,inc): Thanks, I have everything I need. I can {offer}. Should I go ahead? | Got it. I can
~ {offer}. Would you like that?
* open the claim for {inc} on your {v} and book an inspection | file the claim for {inc} on the
~ {v} and schedule an inspection
* book your {v} into a partner repair shop and arrange a rental car | set up a partner shop for
~ the {v} plus a rental car
* send you a link to upload the photos of the {v} first | email you an upload link for the {v}
~ photos first
INFO(inc / duration): For {inc}, we inspect the {v}, approve the estimate, and pay the
~ shop directly minus your $500 deductible. | With {inc}, we inspect the {v}, approve the
~ repair estimate and pay the shop, less the $500 deductible.
INFO( / online): For {inc}, we inspect the {v}, approve the estimate, and pay the
~ shop directly minus your $500 deductible. | With {inc}, we inspect the {v}, approve the
~ repair estimate and pay the shop, less the $500 deductible.
LIST(v): Here are partner shops near you that can repair the {v}:{options}¶Which one should I
~ book? | These partner shops can take your {v}:{options}¶Which would you like?
* Metro Collision: 2 miles away, earliest Monday
* Precision Auto Body: 4 miles away, earliest Wednesday
* Eastside Repair: 6 miles away, earliest tomorrow
* Lakeview Body Works: 3 miles away, earliest Friday
ASK(inc): Anything else I can help with? | Any other questions?
? Will {inc} raise my premium? | Does a claim for {inc} make my rate go up?
"""),
("renters_quote", "support cov=coverage c=city_us", """
G: Hi, welcome to Shield Insurance! How can I help? | Hello, this is Shield Insurance. What can I do
~ for you?
OPEN: Hi, I'd like a quote for renters insurance in {c}, with about {cov} of coverage for my
~ things. | Hello, I'm looking for renters insurance for my apartment in {c}; my belongings are
~ worth around {cov}.
SOLO(cov,c): How much is renters insurance with {cov} of coverage in {c}? | What's the monthly
~ price for {cov} of renters coverage in {c}?
--
A: Happy to help! Is that {cov} figure based on a list of your belongings or a rough estimate? |
~ Sure! Did you arrive at {cov} by listing your things, or is it a ballpark figure?
U: It's a rough estimate. | Ballpark, honestly.
--
A: Do you have any expensive items, like jewelry or cameras? | Any high-value items such as
~ jewelry, art or camera gear?
U: A camera worth about $2,000. | Just a camera, roughly $2,000.
--
A: Do you have a dog? | Any pets, especially dogs?
U: A cat. | Just a cat.
--
A: Which floor is your apartment on? | What floor do you live on?
U: The third floor. | Third.
--
A: Does the building have smoke detectors and sprinklers? | Are there sprinklers and smoke
~ alarms in the building?
U: Yes, both. | Yes.
--
A: Have you had any insurance claims in the last five years? | Any claims in the past five
~ years?
U: No claims. | None.
--
A: Do you have car insurance with us? Bundling can save money. | Do you insure a car with us?
~ Bundling usually lowers the price.
U: No, I don't have a car. | No car.
--
A: When would you like the policy to start? | What start date do you want?
U: At the beginning of next month. | From the 1st of next month.
LIST(cov,c): Here are the plans for {cov} of coverage in {c}:{options}¶Which one would you
~ like? | For {cov} of contents cover in {c}, you can choose:{options}¶Which plan should I set
~ up?
* Essential: $500 deductible, actual cash value
* Plus: $500 deductible, replacement cost
* Premier: $250 deductible, replacement cost, camera scheduled
* Saver: $1,000 deductible, replacement cost
OFFER(cov,c): I can {offer}. Want me to do that? | I can {offer}. Shall I?
* start a replacement-cost policy with {cov} of coverage in {c} from the 1st | set up a
~ replacement-cost policy for {cov} in {c}, starting on the 1st
* email you a written quote for {cov} of coverage in {c} | send you a written quote for {cov} of
~ cover in {c}
* add a rider for the camera to a {cov} policy | add separate camera coverage to a {cov} policy
INFO(cov,c / price): A renters policy with {cov} of contents cover in {c} also includes
~ $100,000 of liability and temporary housing if your place becomes unlivable. | With {cov} of
~ contents coverage in {c}, you also get $100,000 liability and temporary housing costs.
INFO( / cancel): A renters policy with {cov} of contents cover in {c} also includes
~ $100,000 of liability and temporary housing if your place becomes unlivable. | With {cov} of
~ contents coverage in {c}, you also get $100,000 liability and temporary housing costs.
ASK(): Anything else? | Any other questions about the quote?
? Is my camera fully covered under the {cov} policy? | Does {cov} of coverage include the
~ camera?
"""),
("history_he", "p=person_m", """
OPEN: Hi, I'm studying for a history test and I have a question about {p.0}. | Hey, can you help
~ me with some history? It's about {p.0}.
SOLO(p): What did {p.0} do that made him famous? | Why is {p.0} important in history?
--
A: Of course! What level is the test for? | Sure! Is this for high school or college?
U: High school, 11th grade. | High school.
--
A: Does your test focus on specific dates or more on causes and effects? | Will you be asked
~ about dates, or more about why things happened?
U: Both, but the teacher likes dates. | Mostly dates, some causes.
--
A: Have you covered the period he lived in already? | Have you studied the time period yet?
U: Yes, we did the background last week. | Yes, last week.
--
A: Do you prefer short bullet points or a story-like explanation? | Should I explain in bullet
~ points or as a narrative?
U: Short points are easier for me. | Bullet points please.
--
A: Is there a textbook chapter you're working from? | Are you using a particular textbook?
U: Chapter 7 in our textbook. | Yes, chapter 7.
--
A: Would practice questions help afterwards? | Do you want quiz questions at the end?
U: Maybe later. | Perhaps afterwards.
--
A: Anything about {p.0} that confuses you so far? | What part of {p.0}'s story is tricky?
U: I mix up the order of events. | I always get the timeline mixed up.
INFO(p / age_he,why): In short: {p.0} {p.1}. It's one of the events teachers like to ask about.
~ | The key fact: {p.0} {p.1}, and that's a classic test question.
OFFER(p): I can {offer}. Would you like that? | Want me to {offer}?
* make a timeline of {p.0}'s life | build you a timeline of {p.0}'s life
* write five quiz questions about {p.0} | give you five practice questions about {p.0}
* summarize {p.0}'s impact in three points | explain {p.0}'s impact in three bullet points
ASK(p): Anything else about {p.0}? | What else would you like to know?
? Where was {p.0} born? | What was {p.0}'s birthplace?
"""),
("history_she", "p=person_f", """
OPEN: Hi, I'm writing a school report about {p.0}. | Hello! I need help with a report on {p.0}.
SOLO(p): What is {p.0} best known for? | Why is {p.0} famous?
--
A: Great topic! How long does the report need to be? | Nice choice! What length is the report?
U: About two pages. | Two pages.
--
A: Who's the audience, your class or just the teacher? | Is it presented to the class or just
~ handed in?
U: I have to present it to the class. | I'll present it.
--
A: Do you need sources cited? | Does the teacher want citations?
U: Yes, at least three sources. | Yes, three or more.
--
A: What have you found out so far? | What do you already know about her?
U: Only the basics from an encyclopedia. | Just a little from an encyclopedia.
--
A: Would you like to focus on her achievements or her personal life? | Should the report focus
~ on her work or her life story?
U: Mostly her achievements. | Her achievements.
--
A: What grade are you in? | Which grade is this for?
U: 8th grade. | Eighth.
--
A: Do you need pictures in the presentation? | Will you use slides with images?
U: Yes, a few slides. | A few slides, yes.
INFO(p / age_she,why): The highlight for your report: {p.0} {p.1}. That's a great centerpiece
~ for the presentation. | A key moment to feature: {p.0} {p.1}; it's a strong centerpiece.
OFFER(p): I can {offer}. Would you like that? | Want me to {offer}?
* outline the report on {p.0} | draft an outline for your {p.0} report
* suggest three reliable sources about {p.0} | recommend three good sources on {p.0}
* write an opening paragraph about {p.0} | write the introduction about {p.0}
ASK(p): Anything else? | What else do you need?
? What challenges did {p.0} face? | What obstacles did {p.0} have to overcome?
"""),
("math_help", "eq=equation", """
OPEN: Hi, can you help me solve {eq}? | Hey, I'm stuck on this equation: {eq}
SOLO(eq): Solve {eq} for x. | What is x if {eq}?
--
A: Of course! What have you tried so far? | Sure! How far did you get?
U: I moved the numbers but I get a weird answer. | I tried moving terms around and got lost.
--
A: No problem. Is this for homework or a test? | Is this homework or exam practice?
U: Homework. | It's homework.
--
A: Are you allowed to use a calculator? | Can you use a calculator?
U: Yes. | Yes, we can.
--
A: Do you know the idea of doing the same thing to both sides? | Have you learned about
~ balancing both sides of an equation?
U: Sort of, but I forget which step comes first. | Kind of, I mix up the order.
A: That's the usual sticking point. Do you want the full method or just hints? | Would you like
~ hints or the whole solution?
U: The full method please. | All the steps.
--
A: Is your teacher strict about showing work? | Do you need to show every step?
U: Yes, she wants every step. | Yes.
--
A: Which grade are you in? | What grade is this?
U: 8th grade. | Eighth.
INFO( / example,simpler,why): For {eq}, first undo the addition or subtraction on both sides,
~ then divide both sides by the number in front of x. | To solve {eq}: undo the constant on both
~ sides first, then divide by the coefficient of x.
OFFER(eq): I can {offer}. Want me to? | Shall I {offer}?
* solve {eq} step by step | work through {eq} one step at a time
* give you three practice problems like {eq} | make three more problems like {eq}
* show how to check the answer to {eq} | explain how to check your answer for {eq}
ASK(eq): Anything else? | Any other questions?
? Is x a whole number in {eq}? | Does {eq} have an integer solution?
"""),
("course_enrollment", "support co=course tm=term", """
G: Hi! This is the Riverside College registration assistant. How can I help? | Hello, Riverside
~ College registration here. What can I do for you?
OPEN: Hi, I'm trying to enroll in {co.0} ({co.1}) for the {tm} term. | Hello, I want to register
~ for {co.1}, {co.0}, in {tm}.
SOLO(co,tm): Is {co.1} {co.0} full for the {tm} term? | Are there any seats left in {co.1}
~ ({co.0}) this {tm}?
--
A: Happy to help. What's your student status? | Sure! Are you a current student?
U: I'm a second-year student. | Yes, second year.
--
A: Have you completed the prerequisites for {co.1}? | Do you meet the prerequisites for
~ {co.1}?
U: Yes, I took the intro course last year. | Yes.
--
A: Thanks. What's your major? | What are you majoring in?
U: Business. | I'm a business major.
--
A: Do you need {co.1} for your major or is it an elective? | Is {co.1} required or an elective
~ for you?
U: It's required. | Required.
--
A: Do you work or have other commitments that limit your schedule? | Are there times you can't
~ attend classes?
U: I work Tuesday and Thursday mornings. | Tuesday and Thursday mornings are out.
--
A: Do you prefer in-person or online sections? | In-person or online?
U: In-person if possible. | In person.
--
A: How many credits are you taking this {tm}? | How many credits do you have so far for {tm}?
U: Twelve so far. | 12.
LIST(co,tm): Here are the {tm} sections of {co.1} that fit your schedule:{options}¶Which section
~ should I put you in? | These {tm} sections of {co.1} work around your job:{options}¶Which one do
~ you want?
* Section 01: Mon/Wed 9:00-10:15, in person
* Section 02: Mon/Wed 2:00-3:15, in person
* Section 03: Tue/Thu 4:00-5:15, in person
* Section 04: online, self-paced
* Section 05: Friday 9:00-11:45, in person
OFFER(co,tm): I can {offer}. Shall I? | I can {offer}. Would you like that?
* enroll you in {co.1} section 02 for {tm} | register you for section 02 of {co.1} in {tm}
* add you to the waitlist for {co.1} section 01 in {tm} | put you on the {tm} waitlist for {co.1}
~ section 01
* request a permission override for {co.1} in {tm} | submit an override request for {co.1} this
~ {tm}
INFO(co / online): {co.1} {co.0} is a 4-credit course in {tm}, with two lectures
~ a week and a weekly lab. | In {tm}, {co.1} ({co.0}) is 4 credits: two lectures and one lab per
~ week.
INFO( / fee,weekend): {co.1} {co.0} is a 4-credit course in {tm}, with two lectures
~ a week and a weekly lab. | In {tm}, {co.1} ({co.0}) is 4 credits: two lectures and one lab per
~ week.
ASK(co): Anything else? | Any other questions?
? Which textbook do I need for {co.1} in {tm}? | What's the required book for {co.1} this {tm}?
"""),
("email_draft", "r=recipient g=email_goal d=date", """
OPEN: Hi, can you help me write an email to {r.0}, {r.1}? I need to ask to {g.0} to {d}. | Hey, I
~ need to email {r.0} ({r.1}) to ask if we can {g.0} to {d}. Can you help?
SOLO(r,g,d): Write an email to {r.0} asking to {g.0} to {d}. | Draft a short email asking {r.0}
~ if we can {g.0} to {d}.
--
A: Sure! Do you want it short, or with a bit more context? | Of course. Should it be brief or more
~ detailed?
U: Fairly short, but polite. | Short and polite.
--
A: Got it. What's the reason for the change? | What's the reason you need that?
U: I have a family commitment I can't move. | A family thing came up that I can't reschedule.
--
A: How formal is your relationship with {r.0}? | How do you usually talk to {r.0}?
U: Friendly but professional. | Polite, not stiff.
--
A: Do you want to offer alternatives in case {d} doesn't work? | Should we suggest a backup
~ option if {d} isn't possible?
U: Yes, say I'm flexible that week. | Yes, mention I'm flexible around then.
--
A: Should I include an apology for the short notice? | Do you want to apologize for the late
~ notice?
U: Yes, a short one. | Briefly, yes.
--
A: How do you want to sign off? | What name should I sign it with?
U: Just my first name, Alex. | Alex.
--
A: Do you want a subject line too? | Should I write a subject line as well?
U: Yes please. | Sure.
INFO(r,g,d / shorter,formal): Here's a draft:¶Subject: Request to {g.0}¶Hi {r.0},¶I hope
~ you're well. Would it be possible to {g.0} to {d}? A family commitment has come up that I
~ can't move, and I'm sorry for the short notice. I'm flexible that week if {d} doesn't work.¶Best,
~ ¶Alex | Here you go:¶Subject: Could we {g.0}?¶Dear {r.0},¶I'm writing to ask whether we could
~ {g.0} to {d}. I have a family commitment that can't be rescheduled; apologies for the late
~ notice. I'm flexible that week if another day suits you better.¶Best regards,¶Alex
OFFER(r,g,d): I can {offer}. Want me to? | Shall I {offer}?
* write the email to {r.0} asking to {g.0} to {d} | draft the email to {r.0} about moving {g.1}
~ to {d}
* write a short text message to {r.0} about {g.1} on {d} instead | write a quick text to {r.0}
~ about {g.1} on {d} instead
ASK(): Anything else before I write it? | Anything else I should include?
? Should I mention the reason to {r.0} or keep it vague? | Is it better to tell {r.0} the reason
~ or leave it out?
"""),
("tire_service", "support v=vehicle d=date", """
G: Hi, welcome to QuickLane Auto Service! How can I help? | Hello, QuickLane Auto here. What can I
~ do for you?
OPEN: Hi, I need new tires for my {v}. | Hello, my {v} needs a new set of tires.
SOLO(v): How much does a set of all-season tires for a {v} cost at QuickLane? | What's your price
~ for four all-season tires on a {v}?
--
A: Happy to help! How many miles are on the current tires? | Sure! Roughly how old are the tires
~ you have now?
U: About 45,000 miles. | Around 45k miles.
--
A: Do you do a lot of highway driving? | Is most of your driving on the highway or in town?
U: Mostly commuting on the highway. | Highway commuting mostly.
--
A: Do you have a brand preference? | Any brand you like?
U: No, something reliable and quiet. | Not really, quiet and long-lasting.
--
A: Do you want us to check the alignment too? | Shall we include an alignment check?
U: Yes, it pulls a bit to the right. | Yes, it drifts a little.
--
A: Would you like the old tires disposed of? | Should we dispose of the old set for you?
U: Yes please. | Yes.
--
A: When would you like to bring the {v} in? | When works for you to bring the car?
U: {d}, if possible. | On {d}.
--
A: Will you wait at the shop or drop the car off? | Do you want to wait or leave the car with us?
U: I'll drop it off. | I'll leave it there.
INFO(v / winter,price): For your {v}, I'd suggest all-season touring tires: quiet, good
~ in the rain, and rated for about 65,000 miles. | On a {v}, all-season touring tires are a good
~ fit: quiet, grippy in the wet, with a 65,000-mile rating.
INFO( / duration): For your {v}, I'd suggest all-season touring tires: quiet, good
~ in the rain, and rated for about 65,000 miles. | On a {v}, all-season touring tires are a good
~ fit: quiet, grippy in the wet, with a 65,000-mile rating.
OFFER(v,d): I can {offer}. Should I book it? | I can {offer}. Would you like that?
* book your {v} in on {d} for four new tires and an alignment | schedule your {v} on {d} for new
~ tires plus an alignment
* reserve a set of tires for your {v} and call you to pick a time | hold a set of tires for your
~ {v} and call you to set a time
* email you a written quote for tires on your {v} | send a quote for tires for the {v} by email
LIST(v,d): Here are the tires in stock for a {v} on {d}:{options}¶Which set would you like? |
~ For your {v}, we can fit these on {d}:{options}¶Which one should I reserve?
* Michelin CrossClimate 2: $920 for four, installed
* Goodyear Assurance: $760 for four, installed
* Bridgestone Turanza: $840 for four, installed
* Continental PureContact: $810 for four, installed
* Hankook Kinergy: $620 for four, installed
ASK(v): Anything else? | Any questions?
? Do I need to replace the tire pressure sensors on my {v} too? | Will the {v} need new TPMS
~ sensors?
"""),
("restaurant_booking", "service rs=restaurant n=people d=date", """
OPEN: Hi, I'd like to book a table at {rs} for {n} people on {d}. | Hello, can I reserve a table
~ for {n} at {rs} on {d}?
SOLO(rs,n,d): Is there a table for {n} at {rs} on {d} at 7 pm? | Can I get a 7 pm table for {n}
~ at {rs} on {d}?
--
A: Of course! What time would you prefer? | With pleasure! What time were you thinking?
U: Around 7 pm. | Seven-ish.
--
A: Is it for a special occasion? | Are you celebrating anything?
U: Yes, my mom's birthday. | My mother's birthday.
A: How lovely! We can bring a candle with dessert. | Wonderful! We can add a candle to dessert
~ if you'd like.
U: That would be great. | Yes please.
--
A: Any dietary requirements or allergies in the group? | Does anyone have allergies?
U: One person is gluten-free. | One guest can't eat gluten.
--
A: Do you prefer indoor or terrace seating? | Inside or on the terrace?
U: Indoors please. | Inside.
--
A: Will there be any children or a high chair needed? | Do you need a high chair?
U: No, all adults. | No.
--
A: Could I have a name for the reservation? | What name should the booking be under?
U: Under Garcia. | Garcia.
--
A: And a phone number in case we need to reach you? | What's a good number to reach you?
U: 555-0142. | You can call 555-0142.
LIST(rs,n,d): Here's what's available at {rs} on {d} for {n}:{options}¶Which time should I
~ book? | On {d}, {rs} has these times for {n} people:{options}¶Which would you like?
* 6:30 pm, indoor
* 7:00 pm, terrace
* 7:45 pm, indoor
* 8:15 pm, indoor
* 9:00 pm, indoor
OFFER(rs,n,d): 7 pm is fully booked, but I can {offer}. Should I? | We're full at seven. I can
~ {offer}. Would that work?
* book 7:45 pm for {n} on {d} instead | reserve 7:45 pm for {n} people on {d}
* put you on the waitlist for 7 pm on {d} | add you to the 7 pm waitlist on {d}
* book 6:30 pm for {n} on {d} | reserve a 6:30 pm table for {n} on {d}
INFO(rs / weekend,kids,price): {rs} serves dinner from 5 to 10 pm, and the tasting menu changes
~ every season. | Dinner at {rs} runs from 5 pm to 10 pm, with a seasonal tasting menu.
ASK(rs): Anything else? | Any other requests?
? Is there parking near {rs} on {d}? | Where can we park near {rs} that evening?
"""),
("energy_bill", "support u=utility k=usage b=bill", """
G: Hi, this is {u} customer care. How can I help? | Hello and welcome to {u}! What can I help you
~ with?
OPEN: Hi, my electricity bill this month is {b}, which seems really high. | Hello, I just got a
~ {b} power bill and that's way more than usual.
SOLO(k,u): How much should {k} of electricity cost on {u}'s standard rate? | What does {k} cost
~ on the {u} standard plan?
--
A: I'm sorry about the surprise, let's take a look. What do you usually pay? | Let's look into
~ it. What's a normal bill for you?
U: Usually about half of that. | Normally around half.
--
A: Thanks. I can see this bill is for {k} of usage, much more than last month. | The bill shows
~ {k} used, a big jump from last month.
U: That's strange, nothing changed at home. | Weird, we haven't done anything differently.
--
A: Is the reading marked as an actual reading or an estimate? | Does the bill say the reading
~ was estimated?
U: It says "actual". | Actual reading.
--
A: Did you start using any heaters, a dryer or an electric car? | Any new appliances, like a
~ space heater or an EV charger?
U: We did use a space heater a few evenings. | A space heater, some nights.
--
A: Thanks. How many people live in the home? | Got it. How many people are in the house?
U: Three. | Three of us.
--
A: Do you have an electric water heater? | Is your water heated electrically?
U: Yes, I think so. | Yes.
--
A: Are you on a fixed rate or time-of-use rate? | Do you know which rate plan you're on?
U: No idea. | I don't know.
A: You're on the standard fixed rate. | I checked: it's the standard fixed rate.
U: Okay. | Alright.
OFFER(k,b): I can {offer}. Would you like that? | Here's an option: I can {offer}. Shall I?
* set up a payment plan to spread the {b} over three months | split the {b} into three monthly
~ payments
* order a meter check to verify the {k} reading | send a technician to check the meter that
~ recorded {k}
* move you to a time-of-use rate, which would have made {k} cheaper | switch you to time-of-use
~ pricing, which would lower the cost of {k}
INFO( / winter): For {k} on {u}'s standard rate, most of the cost is the energy
~ itself, plus a fixed daily connection charge. | With {k} on the {u} standard rate, you pay
~ mostly for energy used plus a fixed daily charge.
INFO( / why): For {k} on {u}'s standard rate, most of the cost is the energy
~ itself, plus a fixed daily connection charge. | With {k} on the {u} standard rate, you pay
~ mostly for energy used plus a fixed daily charge.
LIST(): {u} offers these rate plans:{options}¶Which one would you like to switch to? | You can
~ choose among these {u} plans:{options}¶Which should I move you to?
* Standard fixed: 17 cents/kWh all day
* Time-of-use: 11 cents off-peak, 29 cents peak
* Green 100: 19 cents/kWh, 100% renewable
* Budget billing: same amount every month
ASK(): Anything else? | Any other questions about the bill?
? Can I pay the {b} in installments? | Is it possible to split the {b} bill into parts?
"""),
)

SCRIPTS_KO: tuple[tuple[str, str, str], ...] = (
("ko_mobile_plan", "service cur=kplan new=kplan k=kcarrier d=kdate", """
G: 안녕하세요, {k} 고객센터입니다. 무엇을 도와드릴까요? | 안녕하세요! {k} 상담 챗봇입니다. 어떤
~ 도움이
~ 필요하신가요?
OPEN: 안녕하세요, 지금 {cur.0} 요금제를 쓰고 있는데 요금제를 바꾸고 싶어요. | 요금제 변경
~ 문의드려요. 현재
~ {cur.0} 쓰고 있어요.
SOLO(new,k): {k} {new.0} 요금제는 한 달에 얼마예요? | {k}에서 {new.0} 요금제로 바꾸면 월 요금이
~ 얼마인가요?
--
A: 네, 도와드릴게요. 본인 확인을 위해 휴대폰 번호 뒤 4자리를 알려 주시겠어요? | 네 고객님, 먼저 본인
~ 확인을
~ 위해 휴대폰 번호 끝 4자리를 말씀해 주세요.
U: {pin}입니다. | 끝자리 {pin}입니다.
A: 확인 감사합니다, {kname}님. 현재 {cur.0} 요금제({cur.1}, {cur.2})를 이용 중이시네요. |
~ 확인되었습니다.
~ {kname}님은 지금 {cur.0} 요금제({cur.1}, {cur.2})를 쓰고 계세요.
U: 네 맞아요. | 네.
--
A: 요금제를 바꾸시려는 이유가 있으실까요? 데이터가 부족하신지, 요금을 줄이고 싶으신지 궁금해요. |
~ 변경하시려는
~ 이유를 여쭤봐도 될까요? 데이터 때문인지 요금 때문인지요.
U: 요즘 데이터가 자주 모자라서요. | 데이터가 매달 부족해서요.
--
A: 한 달에 데이터를 보통 얼마나 쓰시는지 아세요? | 평소 한 달 데이터 사용량이 어느 정도 되세요?
U: 지난달에 20GB 정도 쓴 것 같아요. | 20GB 정도요.
--
A: 주로 어디에 데이터를 많이 쓰세요? 영상, 게임, 테더링 같은 거요. | 데이터는 주로 어떤 용도로
~ 쓰세요?
U: 출퇴근할 때 유튜브 보는 게 제일 커요. | 출퇴근길에 동영상 보는 데 많이 써요.
--
A: 집이나 회사에서는 와이파이를 쓰시나요? | 집이랑 회사에서는 와이파이에 연결하세요?
U: 집에서는 와이파이 써요. | 집에서는요.
--
A: 가족 결합 할인을 받고 계신지도 확인해 볼까요? | 가족 결합 할인 여부도 함께 확인해 드릴까요?
U: 네, 확인해 주세요. | 네 봐 주세요.
A: 확인해 보니 지금은 결합 할인이 없으세요. 요금제를 바꾸셔도 불이익은 없습니다. | 현재 결합 할인은
~ 적용되어
~ 있지 않아서 요금제를 바꾸셔도 할인이 사라지지는 않아요.
U: 아 다행이네요. | 그렇군요.
--
A: 단말기 약정이 남아 있으신데, 요금제 변경은 약정과 상관없이 가능해요. | 참고로 단말기 약정이 남아
~ 있지만
~ 요금제 변경에는 영향이 없어요.
U: 위약금은 없는 거죠? | 그럼 위약금은 안 나오는 거죠?
A: 네, 요금제만 바꾸시는 건 위약금이 없어요. | 네, 요금제 변경만으로는 위약금이 발생하지 않습니다.
U: 좋아요. | 알겠습니다.
--
A: 변경은 {d}부터 적용되도록 할까요? | 적용 시점은 {d}부터로 잡아 드릴까요?
U: 네, {d}부터요. | 네 {d}부터 해 주세요.
OFFER(new,d,cur): 확인 감사합니다. {offer} 그렇게 진행해 드릴까요? | 말씀하신 내용을 보니 {offer}
~ 이렇게
~ 해 드릴까요?
* {d}부터 {new.0} 요금제({new.1}, {new.2})로 변경해 드릴 수 있어요. | {d}부터 요금제를
~ {new.0}({new.1},
~ {new.2}) 요금제로 바꿔 드릴 수 있습니다.
* 요금제는 {cur.0} 그대로 두고, 월 11,000원짜리 데이터 10GB 추가 옵션을 {d}부터 붙여 드릴 수 있어요.
~ |
~ {cur.0} 요금제는 유지하고 {d}부터 데이터 10GB 추가 옵션(월 11,000원)을 넣어 드릴 수 있습니다.
* {cur.0} 요금제에 24개월 선택약정 할인을 {d}부터 적용해서 월 요금을 25% 낮춰 드릴 수 있어요. |
~ {d}부터
~ {cur.0} 요금제에 선택약정 25% 할인을 적용해 드릴 수 있습니다.
LIST(d,k): {d}부터 바꾸실 수 있는 {k} 요금제예요:{options}¶어떤 걸로 바꿔 드릴까요? | {k}에서
~ {d}부터
~ 선택하실 수 있는 요금제는 다음과 같아요:{options}¶어느 요금제로 하시겠어요?
* LTE 베이직: 월 33,000원, 데이터 6GB
* 5G 라이트: 월 55,000원, 데이터 12GB
* 5G 스탠다드: 월 69,000원, 데이터 110GB
* 5G 프리미엄: 월 89,000원, 데이터 무제한
* 5G 청년: 월 59,000원, 데이터 50GB
INFO(new / price): {new.0} 요금제는 {new.2}에 음성과 문자가 무제한이고, 테더링도 쓸 수 있어요. |
~ {new.0}
~ 요금제는 {new.2}에 통화·문자 무제한, 테더링까지 되는 요금제예요.
INFO( / fee): 요금제 변경은 앱이나 고객센터에서 할 수 있고, 변경한 달 요금은 날짜 기준으로 나눠
~ 계산돼요. |
~ 요금제는 앱이나 고객센터에서 바꾸실 수 있고, 바꾼 달 요금은 사용한 날짜만큼 나눠서 계산됩니다.
ASK(new): 더 궁금하신 점 있으세요? | 다른 궁금한 점은 없으세요?
? {new.0} 요금제로 바꾸면 다음 달 요금이 얼마나 나와요? | {new.0} 요금제로 변경하면 다음 달에 얼마
~ 나오나요?
"""),
("ko_internet", "support i=kisp c=kcity d=kdate", """
G: 안녕하세요, {i} 고객지원입니다. 무엇을 도와드릴까요? | 안녕하세요! {i} 상담 챗봇이에요. 어떤
~ 문제가
~ 있으신가요?
OPEN: 안녕하세요, 집 인터넷이 자꾸 끊겨요. | 인터넷이 몇 분마다 계속 끊겨서 문의드려요.
SOLO(i,c): 지금 {c} 지역에 {i} 장애 있나요? | {c} 쪽에 {i} 인터넷 장애 났어요?
--
A: 불편을 드려 죄송합니다. 언제부터 그러셨어요? | 많이 불편하셨죠. 증상이 언제부터 시작됐나요?
U: 어제 저녁부터요. | 어젯밤부터 그래요.
--
A: 설치 주소가 어느 지역이세요? | 서비스 주소지가 어디신가요?
U: {c} 쪽이에요. | {c}에 살아요.
A: 확인해 보니 현재 {c} 지역에 접수된 장애는 없어요. | 지금 {c} 지역에는 보고된 장애가 없습니다.
U: 이상하네요, 옆집은 괜찮은 것 같던데. | 그래요? 이웃들은 문제없어 보이던데요.
--
A: 공유기 불빛이 어떻게 되어 있나요? 계속 켜져 있나요, 깜빡이나요? | 공유기 램프 상태를 봐
~ 주시겠어요?
~ 켜져 있는지 깜빡이는지요.
U: 인터넷 표시등이 주황색으로 깜빡여요. | 인터넷 불이 주황색으로 깜빡거려요.
--
A: 공유기 재부팅은 해 보셨어요? | 공유기를 껐다 켜 보셨나요?
U: 네 두 번 해 봤는데 잠깐 되다가 또 끊겨요. | 네, 재부팅하면 잠깐 되다가 다시 끊겨요.
--
A: 와이파이로 연결하셨나요, 랜선으로 연결하셨나요? | 와이파이 말고 랜선으로 연결해도 똑같은가요?
U: 랜선으로 해도 똑같아요. | 유선으로도 끊겨요.
--
A: 원격으로 회선 점검을 해 보니 회선에 잡음이 많이 잡혀요. 벽 단자나 케이블 문제일 가능성이 높아요.
~ | 회선
~ 테스트 결과 신호 잡음이 심하네요. 케이블이나 단자 쪽 문제로 보여요.
U: 그럼 어떻게 해야 돼요? | 그럼 이제 어떻게 하죠?
A: 기사님이 직접 방문해서 점검하셔야 할 것 같아요. | 이 경우에는 기사 방문 점검이 필요합니다.
U: 네 알겠어요. | 알겠습니다.
--
A: 방문 점검 때 성인 한 분이 집에 계셔야 하는데 가능하실까요? | 점검 시 성인이 댁에 계셔야 하는데
~ 괜찮으세요?
U: 네 재택근무라 집에 있어요. | 네, 대부분 집에 있어요.
--
A: 기사님 연락은 가입하신 번호로 드리면 될까요? | 연락은 가입 번호로 드리면 될까요?
U: 네 그 번호로 해 주세요. | 네.
OFFER(d,c): {offer} 그렇게 해 드릴까요? | 확인 감사합니다. {offer} 진행할까요?
* {d} 오전 9시~12시에 {c} 댁으로 기사님 방문을 예약해 드릴 수 있어요. | {d} 오전(9시~12시)으로 {c}
~ 주소지에
~ 기사 방문 예약을 잡아 드릴 수 있어요.
* {d}까지 도착하도록 새 공유기를 택배로 보내 드릴 수 있어요. | 새 공유기를 {d}까지 받으실 수 있게
~ 발송해 드릴
~ 수 있어요.
* 이번 달 요금에서 3일치를 감면해 드리고 {d}까지 회선 상태를 지켜볼 수 있어요. | 이번 달 요금
~ 3일치를 빼
~ 드리고, {d}까지 회선 상태를 모니터링할 수 있어요.
LIST(): 지금 예약 가능한 방문 일정이에요:{options}¶언제가 좋으세요? | 가능한 방문 시간은 다음과
~ 같습니다:{options}¶어느 시간으로 잡아 드릴까요?
* 화요일 오전 9시~12시
* 화요일 오후 1시~5시
* 수요일 오전 9시~12시
* 목요일 오후 1시~5시
* 금요일 오전 9시~12시
INFO( / duration,weekend): 기사님이 방문하면 회선 상태를 측정하고, 필요하면 벽 단자와 케이블을
~ 교체해요. |
~ 방문 점검 때는 회선을 측정하고, 문제가 있으면 단자나 케이블을 바꿔 드려요.
ASK(): 더 궁금하신 점 있으세요? | 다른 문의 사항은 없으신가요?
? {d} 전까지 인터넷 안 된 날은 요금 감면돼요? | {d}까지 인터넷이 안 되는 기간은 요금 빼 주나요?
"""),
("ko_return", "support o=korder it=kitem s1=ksize s2=ksize", """
G: 안녕하세요, 하루마켓 고객센터입니다. 무엇을 도와드릴까요? | 안녕하세요! 하루마켓 상담 챗봇입니다.
~ 무엇이 궁금하세요?
OPEN: 안녕하세요, {it} 반품하고 싶어요. 사이즈가 안 맞는데 {s2} 사이즈가 맞을 것 같아요. 주문번호는
~ {o}입니다. | {it} 사이즈가 안 맞아서 반품 문의드려요. 아마 {s2} 사이즈가 맞을 거예요. 주문번호는
~ {o}입니다.
SOLO(): 주문번호 {o} {it} 반품하면 배송비 내야 하나요? | {it}(주문번호 {o}) 반품 배송비는 누가
~ 부담해요?
--
A: 불편을 드려 죄송합니다. 받으신 사이즈가 어떻게 되세요? | 죄송합니다. 주문하신 사이즈를 알려
~ 주시겠어요?
U: {s1} 사이즈요. | {s1} 사이즈로 받았어요.
--
A: 혹시 착용하시거나 세탁하셨나요? | 제품을 입고 외출하시거나 세탁하신 적 있으세요?
U: 아뇨, 집에서 한 번 입어 보기만 했고 택도 그대로 있어요. | 입어 보기만 했어요. 택도 안 뗐어요.
--
A: 그럼 반품 가능하세요. 배송 완료 후 5일 지나서 반품 기간 안이에요. | 확인했습니다. 배송 완료
~ 5일째라 반품
~ 기간 안이에요.
U: 다행이네요. | 네 좋아요.
--
A: 어떤 점이 안 맞으셨어요? | 핏이 어떻게 안 맞으셨어요?
U: 품이 잘 안 맞아요. | 어깨 쪽이 좀 안 맞아요.
--
A: 결제는 어떤 수단으로 하셨어요? | 결제하신 방법이 카드인가요?
U: 신용카드로 했어요. | 카드로 결제했어요.
--
A: 받으셨던 포장재 갖고 계세요? | 원래 포장 박스가 있으세요?
U: 비닐은 있는데 박스는 버렸어요. | 봉투만 있고 박스는 없어요.
A: 괜찮아요, 제품이 상하지 않게만 포장해 주시면 돼요. | 문제없어요. 튼튼한 봉투나 상자에 담아 주시면
~ 됩니다.
U: 알겠습니다. | 네.
--
A: 회수는 배송받으신 주소에서 하면 될까요? | 수거는 기존 배송지로 가면 되나요?
U: 네 같은 주소예요. | 네.
--
A: 같은 주문의 다른 상품도 반품하세요? | 주문번호 {o}에 있는 다른 상품도 반품하시나요?
U: 아뇨, {it}만요. | {it}만 할게요.
OFFER(it,s2): 확인 감사합니다. {offer} 그렇게 해 드릴까요? | 네, {offer} 진행해 드릴까요?
* {it} 상품이 회수되면 결제하신 카드로 전액 환불해 드릴 수 있어요. | 회수된 {it} 상품이 확인되면
~ 카드로 전액
~ 환불해 드릴 수 있어요.
* {it} 상품을 {s2} 사이즈로 교환해서 오늘 바로 보내 드릴 수 있어요. | {s2} 사이즈 {it} 상품으로
~ 교환해서
~ 오늘 발송해 드릴 수 있어요.
* {it} 상품 금액만큼 적립금을 지금 바로 넣어 드릴 수 있어요. | 회수 전이라도 {it} 상품 금액을
~ 적립금으로
~ 먼저 넣어 드릴 수 있어요.
LIST(it): {it} 반품은 이렇게 하실 수 있어요:{options}¶어떤 방법으로 하시겠어요? | {it} 반품 방법은
~ 다음 중에서
~ 고르실 수 있어요:{options}¶어떤 게 편하세요?
* 택배 기사님 방문 회수 (무료)
* 편의점 반품 택배로 직접 보내기
* 가까운 오프라인 매장에 반납
* 무인 택배함에 QR코드로 반납
INFO( / duration,fee,online): 반품 상품이 물류센터에 도착하면 검수 후 결제하신 수단으로 환불돼요. |
~ 물류센터에서
~ 반품 상품을 받으면 검수를 거쳐 원래 결제 수단으로 환불해 드립니다.
ASK(it,s2): 더 궁금하신 점 있으세요? | 다른 문의는 없으세요?
? {it} {s2} 사이즈 지금 재고 있어요? | {s2} 사이즈 {it} 재고 남아 있나요?
"""),
("ko_delivery", "support o=korder it=kparcel d=kdate c=kcity", """
G: 안녕하세요, 하루마켓 배송 문의 챗봇입니다. 무엇을 도와드릴까요? | 안녕하세요! 하루마켓
~ 고객센터입니다.
OPEN: 안녕하세요, {d}에 온다던 {it} 택배가 아직 안 왔어요. 주문번호는 {o}입니다. | 주문번호 {o} {it}
~ 배송이
~ {d} 도착 예정이었는데 아직 못 받았어요.
SOLO(o,d): 주문번호 {o} 택배가 {d} 도착 예정이었는데 지금 어디 있어요? | {d}에 왔어야 하는 주문 {o}
~ 건은
~ 어디쯤이에요?
--
A: 기다리시게 해서 죄송합니다. 배송지 지역을 확인해 주시겠어요? | 불편을 드려 죄송해요. 받으시는
~ 지역이
~ 어디세요?
U: {c} 쪽이에요. | {c}에 살아요.
--
A: 조회해 보니 {it} 상품은 {d} 이틀 전에 물류센터에서 출고됐어요. | 확인해 보니 {d} 이틀 전에 {it}
~ 상품이
~ 출고되었어요.
U: 그럼 지금 어디 있는 거예요? | 지금은 어디 있어요?
A: 마지막 스캔이 {c} 지역 허브에서 찍히고 그 뒤로 기록이 없어요. | {c} 허브 터미널에서 마지막으로
~ 조회되고
~ 이후 이동 기록이 없습니다.
U: 아 진짜요? 그날 택배 받으려고 휴가까지 냈는데. | 헐, 그날 택배 기다리느라 집에 있었는데요.
--
A: 정말 죄송합니다. 혹시 경비실이나 이웃집에 맡겨졌는지 확인해 보셨나요? | 죄송해요. 경비실이나
~ 택배함에
~ 보관됐는지 보셨어요?
U: 네 경비실에도 없대요. | 네, 경비실에 물어봤는데 없대요.
--
A: 택배 기사님한테 부재 문자 같은 거 받으셨어요? | 배송 기사님 연락이나 문자 받으신 건 없으세요?
U: 아무 연락도 없었어요. | 전혀요.
--
A: 주문서 주소에 동·호수까지 정확히 들어가 있는지 확인해 주시겠어요? | 주문하신 주소에 동호수가
~ 빠지진
~ 않았나요?
U: 네 맞게 되어 있어요. | 확인했는데 정확해요.
--
A: {it} 상품을 꼭 받으셔야 하는 날짜가 있으세요? | 혹시 특정 날짜까지 필요하신 건가요?
U: 이번 주 안에는 받아야 돼요. 선물이거든요. | 선물이라 이번 주 안에 필요해요.
--
A: 연락은 주문하신 번호로 드리면 될까요? | 연락처는 주문서에 있는 번호로 하면 될까요?
U: 네 그 번호로요. | 네.
OFFER(o,it,c): 택배사에 분실 조사를 요청해 두었어요. 그동안 {offer} 그렇게 해 드릴까요? | 택배사에
~ 추적
~ 요청을 넣었습니다. 우선 {offer} 진행할까요?
* {it} 상품을 {c} 주소로 빠른 배송으로 다시 보내 드릴 수 있어요. | {c} 주소지로 {it} 새 상품을 특급
~ 배송해 드릴 수 있어요.
* 주문 {o} 건을 지금 전액 환불해 드리고, 택배가 나중에 도착하면 그냥 받으셔도 돼요. | 주문 {o} 건을
~ 바로
~ 전액 환불해 드릴 수 있고, 택배가 뒤늦게 오면 그대로 받으시면 돼요.
* 배송 지연 보상으로 적립금 5,000원을 넣어 드릴 수 있어요. | 늦어진 데 대한 보상으로 적립금
~ 5,000원을 드릴
~ 수 있어요.
LIST(o,c): 주문 {o} 건은 이렇게 처리해 드릴 수 있어요:{options}¶어떻게 해 드릴까요? | 주문 {o} 건에
~ 대해
~ 가능한 방법이에요:{options}¶어떤 걸 원하세요?
* 택배사 조사 결과를 이틀 더 기다리기
* 빠른 배송으로 재발송 받기
* 지금 전액 환불 받기
* {c} 허브에 직접 가서 찾기
INFO(c / weekend): {c} 지역은 평일 오전 8시부터 오후 8시까지 배송해요. | {c} 쪽은 평일 아침 8시부터
~ 저녁
~ 8시 사이에 배송됩니다.
INFO( / duration): 주문 {o} 건은 택배사에 분실 조사를 요청해 두었고, 결과가 나오면 문자로 알려
~ 드려요. |
~ 주문 {o} 건에 대해 택배사 조사를 접수했고, 결과는 문자로 안내해 드릴게요.
ASK(c): 더 확인해 드릴 건 없으세요? | 다른 문의는 없으신가요?
? 오늘 {c} 허브에 가서 주문 {o} 건 직접 찾아와도 돼요? | 주문 {o} 건을 {c} 허브에서 제가 직접 받아
~ 올 수
~ 있나요?
"""),
("ko_flight", "service x=kintl d=kdate n=kpeople", """
OPEN: 안녕하세요, {d}에 인천에서 {x} 가는 항공권 {n}명 찾고 있어요. | {d} 출발 인천-{x} 비행기표 좀
~ 알아봐
~ 주세요. {n}명이에요.
SOLO(x,d): {d} 인천에서 {x} 가는 제일 싼 항공권 얼마예요? | {d}에 인천 출발 {x} 최저가 항공권 알려
~ 주세요.
--
A: 네, 찾아 드릴게요! {n}명 모두 성인이세요? | 좋아요! 혹시 어린이나 유아도 있나요?
U: 네, 다 성인이에요. | 아니요, 다 어른이에요.
--
A: 편도로 찾으세요, 왕복으로 찾으세요? | 왕복이세요, 편도세요?
U: 일단 편도로요. | 편도요.
--
A: 선호하시는 출발 시간대가 있으세요? | 오전, 오후 중에 원하시는 시간대 있으세요?
U: 오전이면 좋겠어요. | 오전 출발이요.
A: 선호하는 항공사도 있으세요? | 특별히 원하시는 항공사는요?
U: 상관없어요, 저렴하고 믿을 만한 데면 돼요. | 딱히 없어요, 믿을 만하면 돼요.
--
A: 부치실 짐이 있나요? | 위탁 수하물은 있으세요?
U: 한 사람당 캐리어 하나씩이요. | 1인당 하나씩 있어요.
--
A: 직항만 볼까요, 경유도 괜찮으세요? | 경유편도 괜찮으세요, 직항만 찾을까요?
U: 가격 차이가 크지 않으면 직항이요. | 웬만하면 직항이요.
--
A: 좌석은 나란히 앉으시는 게 좋으세요? | 좌석은 같이 붙어서 앉으실 거죠?
U: 네 가능하면 같이요. | 네.
--
A: 마일리지 적립하실 회원 번호가 있으세요? | 항공사 마일리지 회원이세요?
U: 아니요, 없어요. | 없어요.
--
A: 날짜는 꼭 {d} 출발이어야 하나요? 하루 앞뒤로 더 싼 표가 있을 수도 있어요. | {d} 고정이세요?
~ 앞뒤로 하루 옮기면 더
~ 저렴할 수도 있어요.
U: 네, 그날 꼭 가야 해요. | 날짜는 못 바꿔요.
OFFER(x,d,n): 오전 직항편이 있네요. {offer} 그렇게 해 드릴까요? | 괜찮은 오전 직항이 있어요. {offer}
~ 진행할까요?
* {d} 인천-{x} 직항으로 {n}명 좌석을 바로 예약해 드릴 수 있어요. | {d} 인천 출발 {x} 직항편에 {n}명
~ 예약을
~ 바로 잡아 드릴 수 있어요.
* {n}명 운임을 24시간 동안 무료로 홀드해 드릴 수 있어요. | {n}명 요금을 하루 동안 무료로 잡아 둘 수
~ 있어요.
* {d} 인천-{x} 요금 알림을 설정해 두고 나중에 예약하실 수도 있어요. | 인천-{x} {d} 항공권 가격이
~ 내려가면
~ 알려 드리도록 설정할 수 있어요.
LIST(x,d,n): {d} 인천-{x} 항공편이에요({n}명 기준):{options}¶어떤 걸로 예약할까요? | {d}에 인천에서
~ {x} 가는
~ 항공편 중 괜찮은 것들이에요({n}명):{options}¶어느 편으로 하시겠어요?
* 오전 7:40 직항, 1인 312,000원
* 오전 9:05 직항, 1인 348,000원
* 오전 10:30 경유 1회, 1인 241,000원
* 오전 11:50 직항, 1인 329,000원
* 오전 8:15 경유 1회, 1인 228,000원
INFO( / fee): 이 노선 오전 편은 기내 수하물 10kg과 위탁 수하물 1개가 운임에 포함돼 있어요. | 오전 편
~ 운임에는
~ 기내 수하물 10kg, 위탁 수하물 1개가 포함되어 있습니다.
ASK(x,d): 더 궁금하신 점 있으세요? | 다른 건 없으세요?
? {d}에 {x} 가는 오후 직항도 있어요? | 혹시 {d} 오후에 출발하는 {x} 직항편도 있나요?
"""),
("ko_hotel", "service c=kcity n=knights p=kpeople d=kdate", """
OPEN: 안녕하세요, {d}부터 {n}박으로 {c}에 숙소를 찾고 있어요. {p}명이에요. | {c} 숙소 좀 알아봐
~ 주세요.
~ {d} 체크인, {n}박, {p}명이에요.
SOLO(c,n,d): {d}부터 {n}박, {c}에 괜찮은 호텔 추천해 주세요. | {c}에 {d}부터 {n}박 묵을 만한 호텔
~ 있어요?
--
A: 네, 도와드릴게요! 객실은 하나면 될까요? | 좋아요! 방은 한 개로 찾을까요?
U: 네, 한 방에 다 묵을 수 있으면 좋겠어요. | 네, 가능하면 한 개로요.
--
A: 1박 예산은 어느 정도로 생각하세요? | 하룻밤 예산이 어느 정도세요?
U: 15만 원에서 20만 원 정도요. | 1박에 15만~20만 원 정도요.
--
A: 위치는 어디가 좋으세요? 바닷가 쪽이나 시내 쪽이요. | 바다 전망이나 시내 중심 같은 위치 선호가
~ 있으세요?
U: 관광지 다니기 편한 곳이면 좋겠어요. | 돌아다니기 편한 곳이요.
--
A: 조식 포함을 원하세요? | 조식 포함으로 찾아 드릴까요?
U: 네, 조식 있으면 좋겠어요. | 네 포함이요.
--
A: 주차가 필요하세요? | 차를 가져가시나요?
U: 네, 차 가져가요. | 네, 렌터카로 가요.
--
A: 무료 취소 가능한 요금으로 찾을까요? | 환불 가능한 요금이 좋으세요, 환불 불가 특가도 괜찮으세요?
U: 일정이 바뀔 수도 있어서 무료 취소로요. | 무료 취소 되는 걸로요.
--
A: 수영장이나 사우나 같은 부대시설도 중요하세요? | 꼭 있어야 하는 시설이 있으세요?
U: 수영장 있으면 좋고요, 필수는 아니에요. | 수영장 있으면 좋지만 필수는 아니에요.
OFFER(c,n,d,p): {c} 시내에 평점 좋은 호텔이 있네요. {offer} 그렇게 할까요? | {c}에 후기 좋은 호텔을
~ 찾았어요.
~ {offer} 진행해 드릴까요?
* {d}부터 {n}박, {p}명으로 무료 취소 요금에 예약해 드릴 수 있어요. | {p}명, {d} 체크인 {n}박으로
~ 무료 취소
~ 객실을 예약해 드릴 수 있어요.
* {p}명 객실을 결제 없이 24시간 동안 잡아 둘 수 있어요. | 결제 없이 하루 동안 {p}명 객실을 홀드해
~ 드릴 수
~ 있어요.
* {c}에서 비슷한 호텔 세 곳을 더 비교해서 보내 드릴 수 있어요. | {c} 안에서 비슷한 조건의 호텔 3곳을
~ 비교해
~ 드릴 수 있어요.
LIST(c,n,d,p): {c}, {d}부터 {n}박, {p}명 기준으로 찾은 숙소예요:{options}¶어디로 예약할까요? |
~ 조건({c},
~ {d} 체크인, {n}박, {p}명)에 맞는 숙소들이에요:{options}¶어느 곳으로 하시겠어요?
* 오션뷰 호텔: 1박 18만 원, 조식, 수영장
* 시티센터 호텔: 1박 15만 원, 조식, 무료 취소
* 그랜드 리조트: 1박 21만 원, 조식, 사우나
* 하버 스테이: 1박 13만 원, 조식 불포함
* 힐사이드 펜션: 1박 16만 원, 바비큐장, 무료 취소
INFO(c / price,kids): {c}에서는 시내 중심에 있는 호텔 라온이 평이 좋아요. 주요 관광지까지 차로
~ 10분이고,
~ 조식과 주차가 돼요. | {c} 시내의 호텔 라온을 추천드려요. 관광지까지 차로 10분 거리이고 조식, 주차
~ 모두
~ 가능해요.
INFO( / cancel): 조건에 맞는 곳이 몇 군데 있어요. 참고로 무료 취소 요금은 체크인 3일 전까지 전액
~ 환불돼요. | 괜찮은 숙소가 꽤 있네요. 무료 취소 요금으로 예약하면 체크인 3일 전까지 전액 환불받으실
~ 수 있어요.
ASK(): 더 궁금하신 점 있으세요? | 다른 건 없으세요?
? {d}에 체크인 전에 짐 먼저 맡길 수 있어요? | {d} 체크인 시간 전에 도착하면 짐 보관돼요?
"""),
("ko_bank_transfer", "support x=kcountry m=kamount", """
G: 안녕하세요, 한결은행 상담 챗봇입니다. 무엇을 도와드릴까요? | 안녕하세요! 한결은행입니다. 어떤
~ 업무를
~ 도와드릴까요?
OPEN: 안녕하세요, {x.0}에 있는 동생한테 {m} 보내려고 해요. | 해외송금 문의드려요. {x.0}에 사는 동생
~ 계좌로
~ {m} 보내고 싶어요.
SOLO(x,m): {x.0} 계좌로 {m} 송금하면 수수료가 얼마예요? | {m}을 {x.0}에 있는 계좌로 보내면 수수료
~ 얼마
~ 나와요?
--
A: 네, 도와드릴게요. 받는 분이 {x.0} 현지 은행 계좌를 갖고 계신가요? | 네 고객님. 동생분 명의의
~ {x.0} 은행
~ 계좌가 있으신가요?
U: 네 있어요. | 네.
--
A: 받는 분 계좌번호와 은행 SWIFT 코드를 알고 계세요? | 계좌번호랑 SWIFT 코드 준비되어 있으세요?
U: 네 둘 다 있어요. | 네 알아요.
--
A: 받는 분이 현지 통화({x.1})로 받게 해 드릴까요? | 동생분 계좌에는 현지 통화({x.1})로 입금되게
~ 할까요?
U: 네 현지 통화로 해 주세요. | 네 그렇게요.
--
A: 어느 계좌에서 출금할까요? | 출금 계좌는 어떤 걸로 하시겠어요?
U: 입출금 통장에서요. | 월급 통장에서요.
--
A: 이번 한 번만 보내시나요, 매달 보내실 건가요? | 1회성 송금인가요, 정기 송금인가요?
U: 이번 한 번만요. | 한 번만요.
--
A: 해외송금이라 송금 사유를 여쭤봐야 해요. 어떤 용도인가요? | 규정상 송금 목적을 확인해야 하는데요,
~ 어떤
~ 목적이세요?
U: 동생 생활비 지원이에요. | 가족 생활비요.
--
A: 이 계좌로 보내신 적 있으세요? | 이전에 이 분께 송금하신 적 있나요?
U: 아뇨 처음이에요. | 처음이에요.
A: 그럼 새 수취인으로 등록하고, 휴대폰으로 인증번호를 보내 드릴게요. | 처음이시면 수취인 등록 후
~ 휴대폰
~ 인증이 한 번 필요해요.
U: 네 괜찮아요. | 알겠어요.
OFFER(x,m): {offer} 진행해 드릴까요? | 확인 감사합니다. {offer} 이렇게 해 드릴까요?
* 오늘 일반 해외송금으로 {x.0} 계좌에 {m}을 보내 드릴 수 있어요. | 일반 해외송금으로 오늘 {m}을
~ {x.0} 계좌로
~ 보내 드릴 수 있어요.
* {x.0} 계좌로 가는 {m} 송금을 다음 주 월요일로 예약해 드릴 수 있어요. | {m} 송금을 다음 주 월요일에
~ {x.0}
~ 계좌로 나가도록 예약할 수 있어요.
* 특급 송금으로 {m}을 하루 안에 {x.0} 계좌에 도착하게 보내 드릴 수 있어요. | 특급 송금을 이용하면
~ {m}이
~ 하루 안에 {x.0} 계좌에 도착해요. 그렇게 보내 드릴 수 있어요.
LIST(x,m): {x.0} 계좌로 {m}을 보내는 방법이에요:{options}¶어떤 걸로 하시겠어요? | {m} 송금 방법은
~ 다음 중에서
~ 고르실 수 있어요:{options}¶어떤 방법으로 할까요?
* 일반 송금: 수수료 15,000원, 2~4영업일
* 특급 송금: 수수료 30,000원, 다음 영업일
* 제휴 송금 서비스: 수수료 5,000원, 당일
* 다음 주 월요일 예약 송금: 수수료 15,000원
INFO(x / fee,duration): {x.0} 송금은 SWIFT 망을 거쳐 보내지고, 동생분 계좌에는 현지
~ 통화({x.1})로
~ 입금돼요. | {x.0} 계좌로 보내는 돈은 SWIFT 망으로 송금되고, 현지 통화({x.1})로 받게 됩니다.
INFO( / online): {x.0} 송금은 SWIFT 망을 거쳐 보내지고, 동생분 계좌에는 현지
~ 통화({x.1})로
~ 입금돼요. | {x.0} 계좌로 보내는 돈은 SWIFT 망으로 송금되고, 현지 통화({x.1})로 받게 됩니다.
ASK(x,m): 더 궁금하신 점 있으세요? | 다른 문의 있으세요?
? {m} 보내면 동생 계좌에 {x.1} 기준으로 얼마 들어가요? | {m}이면 {x.1} 기준으로 얼마 정도 받아요?
"""),
("ko_recipe", "dh=kdish s=kserv", """
OPEN: 안녕하세요, 오늘 저녁에 {dh.0} {s} 만들어 보려고 해요. | 오늘 저녁 메뉴로 {dh.0} 해
~ 먹으려고요.
~ {s} 정도요.
SOLO(dh,s): {dh.0} {s} 만들려면 재료가 얼마나 필요해요? | {dh.0} {s} 재료 분량 알려 주세요.
--
A: 좋아요! 특별한 날이에요? | 맛있겠네요! 손님 초대하시는 거예요?
U: 아뇨, 그냥 가족끼리 먹으려고요. | 아뇨, 가족끼리 먹을 거예요.
--
A: 못 드시는 재료나 알레르기 있는 분 계세요? | 알레르기 있는 분은 없으세요?
U: 없어요. | 딱히 없어요.
--
A: 요리 시간은 얼마나 쓰실 수 있어요? | 조리 시간은 넉넉하세요?
U: 한 시간 반 정도요. | 한 시간 반쯤 돼요.
--
A: 매운 정도는 어느 정도가 좋으세요? | 얼마나 맵게 하실 거예요?
U: 중간 정도요. | 적당히요.
--
A: 집에 있는 조리 도구는 어떤 게 있어요? 냄비, 프라이팬, 압력솥 같은 거요. | 냄비나 프라이팬은
~ 있으시죠?
U: 냄비랑 프라이팬 있어요. | 기본적인 건 다 있어요.
--
A: 요리는 자주 하시는 편이세요? | 평소에 요리 자주 하세요?
U: 가끔 해요. | 주말에만 해요.
--
A: 곁들일 반찬도 추천해 드릴까요? | 같이 먹을 반찬도 필요하세요?
U: 간단한 거 하나면 좋겠어요. | 네 하나만요.
--
A: 재료는 이미 있으세요, 장 보러 가실 거예요? | 장은 보셔야 하나요?
U: 이따 마트 가려고요. | 퇴근하면서 사 가려고요.
INFO(dh / vegetarian,duration,kids): {dh.0}, 집에서도 충분히 맛있게 만들 수 있어요. 기본 양념만
~ 있으면 되고
~ 양을 늘리기도 쉬워요. | {dh.0}, 생각보다 어렵지 않아요. 집에 있는 기본 양념으로 만들 수 있고 양
~ 조절도
~ 쉬워요.
OFFER(dh,s): {offer} 그렇게 해 드릴까요? | 원하시면 {offer} 해 드릴까요?
* {dh.0} {s} 장보기 목록을 정리해 드릴 수 있어요. | {s} {dh.0}에 필요한 장보기 목록을 만들어 드릴 수
~ 있어요.
* {s} 기준으로 {dh.0} 레시피 전체를 알려 드릴 수 있어요. | {dh.0} 전체 레시피를 {s} 분량으로 알려
~ 드릴 수
~ 있어요.
* 7시에 {dh.0} {s}을 먹을 수 있게 조리 순서와 시간표를 짜 드릴 수 있어요. | 저녁 7시에 {dh.0} {s}이
~ 완성되도록
~ 조리 순서를 정리해 드릴 수 있어요.
LIST(dh): {dh.0} 레시피는 스타일이 여러 가지예요:{options}¶어떤 버전으로 알려 드릴까요? | {dh.0},
~ 이런 식으로
~ 만들 수 있어요:{options}¶어느 버전이 좋으세요?
* 기본 정석 버전
* 빠르게 만드는 간단 버전
* 덜 짜고 담백한 버전
* 미리 만들어 두는 버전
* 캠핑용 원팬 버전
ASK(dh): 더 궁금한 거 있으세요? | 다른 질문 있으세요?
? {dh.0} 전날 미리 만들어 놔도 괜찮아요? | {dh.0} 하루 전에 만들어 두고 데워 먹어도 돼요?
"""),
("ko_medicine", "dr=kdrug", """
OPEN: 안녕하세요, {dr.0}에 대해 궁금한 게 있어요. | {dr.0} 관련해서 질문이 있어요.
SOLO(dr): {dr.0} 성인은 하루에 얼마나 먹어도 돼요? | 어른은 {dr.0} 한 번에 몇 알 먹어요?
--
A: 네, 어떤 증상 때문에 드시려고 하세요? | 물론이죠. 어디가 불편하세요?
U: {dr.2}. | 그게, {dr.2}.
--
A: 드시는 분이 성인이세요? | 본인이 드실 건가요? 성인이시죠?
U: 네, 제가 먹을 거고 34살이에요. | 네 저요, 서른네 살이에요.
--
A: 지금 드시고 있는 다른 약이 있으세요? | 복용 중인 약이 따로 있나요?
U: 비타민만 먹어요. | 종합비타민 정도요.
--
A: 위궤양이나 신장 질환, 고혈압 같은 질환이 있으세요? | 위장이나 신장 쪽 질환, 혈압 문제는 없으세요?
U: 없어요. | 아니요, 없어요.
--
A: 임신 중이시거나 수유 중이신가요? | 혹시 임신이나 수유 중이세요?
U: 아니요. | 아니에요.
--
A: 술은 얼마나 자주 드세요? | 음주는 자주 하세요?
U: 주말에 맥주 한두 잔 정도요. | 주말에 가끔 한두 잔 마셔요.
--
A: 증상은 언제부터 있었어요? | 증상이 시작된 지 얼마나 됐어요?
U: 이틀 전부터요. | 이틀 됐어요.
--
A: 약 먹고 알레르기 반응이 있었던 적 있으세요? | 약 먹고 두드러기 같은 게 난 적 있으세요?
U: 없어요. | 없었어요.
INFO(dr / side_effects,kids): {dr.0}은 {dr.1}예요. 식후에 물과 함께 드시고, 포장에 적힌 용량을
~ 넘기지 마세요.
~ | {dr.0}은 {dr.1}라서 식후에 물과 드시는 게 좋고, 표시된 용량 이상은 드시면 안 돼요.
OFFER(dr): 원하시면 {offer} 그렇게 해 드릴까요? | {offer} 도움이 될까요?
* {dr.0}을 며칠 동안 안전하게 먹는 방법을 정리해 드릴 수 있어요. | {dr.0} 복용법을 며칠 치로
~ 안전하게 정리해
~ 드릴 수 있어요.
* {dr.0}과 다른 일반의약품을 비교해 드릴 수 있어요. | {dr.0}을 비슷한 일반의약품들과 비교해 드릴 수
~ 있어요.
* 병원에 꼭 가야 하는 위험 신호를 알려 드릴 수 있어요. | 어떤 증상이면 병원에 가야 하는지 알려 드릴
~ 수 있어요.
ASK(): 더 궁금하신 점 있으세요? | 다른 질문 있으세요?
? {dr.0}을 영양제랑 같이 먹어도 돼요? | 비타민이랑 {dr.0} 같이 먹어도 괜찮아요?
"""),
("ko_code", "e=py_error", """
OPEN: 안녕하세요, API 데이터를 처리하는 파이썬 스크립트에서 {e.0} 에러가 나요. | API에서 받은
~ 데이터를 처리하는
~ 파이썬 스크립트를 돌리면 계속 이 에러가 떠요: {e.0}
SOLO(e): 파이썬에서 {e.0} 에러는 무슨 뜻이에요? | 파이썬 에러 {e.0} 왜 나는 거예요?
--
A: 도와드릴게요! 어느 줄에서 에러가 나요? | 네! 트레이스백에 어느 줄이 찍혀요?
U: 데이터를 하나씩 도는 반복문 안에서 나요. | for문으로 데이터를 처리하는 부분에서요.
--
A: 파이썬 버전은 뭐 쓰세요? | 파이썬 몇 버전이에요?
U: 3.11이요. | 3.11 써요.
--
A: 모든 데이터에서 에러가 나나요, 일부에서만 나나요? | 항상 나요, 아니면 특정 데이터에서만 나요?
U: 일부 데이터에서만요. | 몇 개에서만 나요.
--
A: 응답 데이터를 처리하기 전에 검증하는 코드가 있나요? | 데이터 형식을 먼저 확인하는 부분이 있어요?
U: 아뇨 그냥 바로 반복문 돌려요. | 없어요, 바로 for문 돌려요.
--
A: 데이터는 requests로 가져오세요? | 요청은 requests 라이브러리로 보내세요?
U: 네, requests로 받아서 .json() 해요. | 네, requests 써요.
--
A: 스크립트로 돌리세요, 주피터 노트북에서 돌리세요? | 실행은 스크립트로 하세요, 노트북으로 하세요?
U: 크론으로 한 시간마다 도는 스크립트예요. | 매시간 도는 스크립트예요.
--
A: 에러 난 데이터를 로그로 남기고 있나요? | 실패한 데이터는 기록하세요?
U: 아직 안 남겨요. | 아뇨.
--
A: API 쪽은 직접 수정할 수 있나요, 클라이언트 코드만 고칠 수 있나요? | API도 직접 관리하세요?
U: 제 코드만 고칠 수 있어요. | 아뇨, 제 쪽 코드만요.
INFO(e / example,js,why,simpler): 이 에러({e.0})는 {e.2} 발생해요. API 데이터에서 일부 항목에 필드가
~ 빠져
~ 있거나 값이 예상과 다를 때 자주 생겨요. | {e.0} 에러는 {e.2} 나요. API 응답 중 일부 항목이 형식이
~ 다르거나
~ 값이 비어 있으면 흔히 생기는 에러예요.
OFFER(e): {offer} 그렇게 해 드릴까요? | 다음으로 {offer} 해 볼까요?
* {e.0} 에러가 안 나도록 잘못된 데이터는 건너뛰게 함수를 고쳐 드릴 수 있어요. | 함수를 고쳐서 {e.0}
~ 에러를
~ 막고 잘못된 데이터는 건너뛰게 할 수 있어요.
* {e.0} 에러를 일으키는 데이터를 출력하는 로그를 추가해 드릴 수 있어요. | 어떤 데이터에서 {e.0}
~ 에러가 나는지
~ 보이도록 로그를 넣어 드릴 수 있어요.
* {e.0} 에러를 재현하는 단위 테스트를 작성해 드릴 수 있어요. | {e.0} 에러가 나는 상황을 재현하는
~ 테스트를
~ 만들어 드릴 수 있어요.
ASK(e): 더 궁금한 거 있으세요? | 다른 질문 있으세요?
? {e.0} 에러는 try/except로 잡는 게 나아요, 데이터를 먼저 검사하는 게 나아요? | {e.0} 에러는 예외
~ 처리로
~ 잡을까요, 아니면 데이터를 미리 검증할까요?
"""),
("ko_subscription", "service sv=ksvc cur=ktier new=ktier d=kdate", """
G: 안녕하세요, {sv} 고객센터입니다. 무엇을 도와드릴까요? | 안녕하세요! {sv} 상담 챗봇이에요. 어떤 걸
~ 도와드릴까요?
OPEN: 안녕하세요, {sv} {cur.0} 이용권 쓰고 있는데 구독을 좀 바꾸고 싶어요. | {sv} 구독 변경
~ 문의드려요. 지금
~ {cur.0} 이용권 쓰고 있어요.
SOLO(new,sv): {sv} {new.0} 이용권은 한 달에 얼마예요? | {sv} {new.0} 이용권 월 요금 알려 주세요.
--
A: 네, 도와드릴게요. 가입하신 이메일 주소를 알려 주시겠어요? | 네! 계정 확인을 위해 가입 이메일을
~ 알려 주세요.
U: {kname.1}입니다. | {kname.1}이요.
A: 확인됐습니다, {kname}님. 현재 {cur.0} 이용권({cur.1})을 쓰고 계시고 다음 결제일은 {d}이에요. |
~ 확인되었어요.
~ {kname}님은 {cur.0} 이용권({cur.1}) 이용 중이시고, 다음 결제일은 {d}입니다.
U: 네 맞아요. | 네.
--
A: 구독을 바꾸시려는 이유가 있으세요? | 변경하시려는 이유를 여쭤봐도 될까요?
U: 요금이 좀 부담되기도 하고 화질도 아쉬워서요. | 가격도 그렇고 화질도 좀 아쉬워서요.
--
A: 주로 어떤 기기로 보세요? | 시청은 주로 어디서 하세요?
U: 거실 TV로 많이 보고, 가끔 폰으로 봐요. | 거실 TV랑 휴대폰이요.
--
A: 가족분들도 같이 쓰시나요? | 계정을 같이 쓰는 분이 있으세요?
U: 동생이 가끔 같이 봐요. | 가끔 동생이랑 같이 써요.
--
A: 오프라인 저장 기능도 쓰세요? | 다운로드해서 보실 때도 있으세요?
U: 비행기 탈 때만요. | 비행기 탈 때 가끔요.
--
A: 혹시 {new.0} 이용권을 생각하고 계신 거죠? | {new.0} 이용권으로 바꾸실 생각이세요?
U: 네, {new.0} 보고 있어요. | 네 {new.0} 이용권이요.
--
A: 결제 수단은 지금 등록된 카드 그대로 쓰실 건가요? | 결제 카드는 기존 카드 그대로 할까요?
U: 네 그대로요. | 네.
A: 참고로 이용권 변경은 보통 다음 결제일인 {d}부터 적용돼요. | 이용권 변경은 기본적으로 다음
~ 결제일({d})부터
~ 반영됩니다.
U: 네 그렇게 해도 괜찮아요. | 그래도 돼요.
OFFER(new,d,cur): {offer} 그렇게 해 드릴까요? | 말씀하신 내용으로 보면 {offer} 진행할까요?
* {d}부터 {new.0} 이용권({new.1})으로 변경해 드릴 수 있어요. | {d}부터 이용권을 {new.0}({new.1})
~ 이용권으로
~ 바꿔 드릴 수 있어요.
* {cur.0} 이용권을 연간 결제로 바꿔서 약 15% 할인받게 해 드릴 수 있어요. | {cur.0} 이용권을 연
~ 결제로
~ 돌려서 15% 정도 아끼실 수 있게 해 드릴 수 있어요.
* {d}에 구독이 끝나도록 해지 예약을 해 드릴 수 있어요. | {d}에 구독이 종료되도록 해지를 예약해 드릴
~ 수 있어요.
* {d}부터 최대 3개월 동안 구독을 일시정지해 드릴 수 있어요. | {d}부터 최대 석 달간 구독을 멈춰 드릴
~ 수 있어요.
LIST(d,sv): {sv} 이용권 종류예요. 변경하면 {d}부터 적용돼요:{options}¶어떤 걸로 바꿔 드릴까요? |
~ {sv}에서
~ {d}부터 이용하실 수 있는 이용권이에요:{options}¶어느 이용권으로 하시겠어요?
* 베이직: 월 9,500원, 동시 접속 1대, HD
* 스탠다드: 월 13,500원, 동시 접속 2대, 풀HD
* 프리미엄: 월 17,000원, 동시 접속 4대, 4K
* 광고형 스탠다드: 월 5,500원, 동시 접속 2대, 풀HD
INFO(new / price): {new.0} 이용권은 {new.2}로 볼 수 있고, 최대 6대 기기에 다운로드할 수 있어요. |
~ {new.0}
~ 이용권이면 {new.2}로 시청할 수 있고, 기기 6대까지 저장도 돼요.
INFO(sv / cancel): {sv}에서는 언제든 이용권을 바꿀 수 있고, 변경은 다음 결제일인 {d}부터 적용돼요. |
~ {sv}
~ 이용권은 아무 때나 바꾸실 수 있고, 바꾼 내용은 다음 결제일({d})부터 반영돼요.
ASK(new): 더 궁금하신 점 있으세요? | 다른 궁금한 점은 없으세요?
? {d}에 {new.0} 이용권으로 바꾸면 그날 얼마 결제돼요? | {new.0} 이용권으로 바꾸면 {d}에 얼마가
~ 결제되나요?
"""),
("ko_travel", "c=kcity m=kmonth", """
OPEN: 안녕하세요, {m}에 {c} 여행 가려고 하는데요. | {m}에 {c} 여행을 생각하고 있어요.
SOLO(c,m): {m} {c} 날씨는 어때요? | {m}에 {c} 가면 많이 더워요?
--
A: 좋네요! 누구랑 가세요? | 멋진 계획이네요! 혼자 가세요, 같이 가세요?
U: 친구랑 둘이 가요. | 친구 한 명이랑 가요.
--
A: 며칠 정도 계실 예정이에요? | 일정은 며칠이에요?
U: 3박 4일이요. | 3박 4일 정도요.
--
A: 여행 가서 주로 뭘 하는 걸 좋아하세요? 맛집, 바다, 산책, 쇼핑 같은 거요. | 여행 스타일이 어떠세요?
~ 먹는
~ 거, 구경, 액티비티 중에요.
U: 맛집이랑 산책 위주요. | 먹고 걷는 거 좋아해요.
--
A: {c} 여행은 처음이세요? | {c}에는 가 보신 적 있으세요?
U: 네 처음이에요. | 아뇨, 이번이 처음이에요.
--
A: 차를 렌트하실 건가요, 대중교통을 이용하실 건가요? | 이동은 렌터카로 하세요, 대중교통으로 하세요?
U: 대중교통이랑 택시로 다닐 거예요. | 버스랑 택시요.
--
A: 숙소는 정하셨어요? | 숙소는 예약하셨나요?
U: 아직이요. | 아직 안 했어요.
--
A: 예산은 어느 정도 생각하세요? | 경비는 넉넉하게 잡으셨어요?
U: 적당히요, 맛있는 건 좀 비싸도 괜찮아요. | 보통이요. 먹는 데는 좀 써도 돼요.
INFO(c / winter,kids): {m} {c} 날씨는 대체로 따뜻하거나 더운 편이라 걷기 좋고 야외 활동하기도
~ 좋아요. 다만
~ 관광지에는 사람이 많을 수 있어요. | {m}의 {c} 날씨는 따뜻한 편이라 산책이나 야외 활동에 잘 맞아요.
~ 유명한
~ 곳은 좀 붐빌 수 있어요.
OFFER(c,m): {offer} 그렇게 해 드릴까요? | 원하시면 {offer} 해 드릴까요?
* {m} {c} 3박 4일 일정을 짜 드릴 수 있어요. | {c} 3박 4일 코스를 {m} 날씨에 맞춰 짜 드릴 수 있어요.
* {c} 맛집 많은 동네를 정리해 드릴 수 있어요. | {c}에서 맛집이 모여 있는 동네를 알려 드릴 수 있어요.
* {c}에서 당일치기로 다녀올 만한 곳을 추천해 드릴 수 있어요. | {c} 근처 당일치기 여행지를 추천해
~ 드릴 수 있어요.
ASK(c): 더 궁금한 거 있으세요? | 또 궁금한 점 있으세요?
? {m}에 {c} 가면 숙소 미리 예약해야 해요? | {m} {c} 숙소는 일찍 예약해야 하나요?
"""),
("ko_history", "p=kperson", """
OPEN: 안녕하세요, 한국사 시험 공부하는데 {p.0}에 대해 물어볼 게 있어요. | 한국사 공부 좀 도와주세요.
~ {p.0}
~ 부분이에요.
SOLO(p): {p.0}에 대해 간단히 알려 주세요. | {p.0}의 업적이 뭐예요?
--
A: 네, 도와드릴게요! 어떤 시험이에요? | 좋아요! 학교 시험이에요, 한국사능력검정시험이에요?
U: 고등학교 중간고사예요. | 학교 중간고사요.
--
A: 연도 위주로 나오나요, 사건의 원인이나 의미 위주로 나오나요? | 시험이 연도를 많이 묻나요, 의미를
~ 많이 묻나요?
U: 연도를 많이 물어봐요. | 선생님이 연도를 좋아하세요.
--
A: 그 시대 배경은 수업에서 배우셨어요? | 시대 배경은 이미 공부하셨나요?
U: 네 지난주에 배웠어요. | 네, 지난주에요.
--
A: 설명은 짧게 요점 정리로 할까요, 이야기처럼 풀어서 할까요? | 요점만 정리해 드릴까요, 자세히 설명해
~ 드릴까요?
U: 요점 정리가 좋아요. | 짧게요.
--
A: 교과서 몇 단원이에요? | 어느 단원 범위예요?
U: 4단원이요. | 4단원이에요.
--
A: 나중에 연습 문제도 풀어 보실래요? | 끝나고 문제도 내 드릴까요?
U: 나중에요. | 이따가요.
--
A: {p.0} 관련해서 헷갈리는 부분이 있어요? | 특히 어려운 부분이 있어요?
U: 사건 순서가 자꾸 헷갈려요. | 연도 순서가 헷갈려요.
INFO(p / age,why): {p.0} 하면 꼭 기억할 것: {p.1}. 시험에 자주 나오는 내용이에요. | 핵심은 이거예요.
~ {p.0}: {p.1}. 시험 단골 문제예요.
OFFER(p): {offer} 그렇게 해 드릴까요? | 원하시면 {offer} 해 볼까요?
* {p.0}의 생애를 연표로 정리해 드릴 수 있어요. | {p.0}의 일생을 연표로 만들어 드릴 수 있어요.
* {p.0} 관련 예상 문제 다섯 개를 만들어 드릴 수 있어요. | {p.0}에 대한 예상 문제를 다섯 개 내 드릴
~ 수 있어요.
* {p.0}의 업적을 세 줄로 요약해 드릴 수 있어요. | {p.0}의 업적을 세 줄 요약으로 정리해 드릴 수
~ 있어요.
ASK(p): 더 궁금한 거 있어요? | 또 물어볼 거 있어요?
? {p.0}의 고향은 어디예요? | {p.0}의 출생지가 어디예요?
"""),
("ko_email", "r=krecipient g=kgoal d=kdate", """
OPEN: 안녕하세요, {r.0}께 {g.1} {d}로 미룰 수 있는지 여쭤보는 이메일 좀 같이 써 줄 수 있어요? |
~ {r.0}께 메일을
~ 보내야 하는데 좀 도와주세요. {g.0} 날짜를 {d}로 바꿀 수 있는지 여쭤보려고요.
SOLO(r,g,d): {r.0}께 {g.1} {d}로 미뤄 달라고 부탁하는 이메일 써 주세요. | {r.0}께 {g.0} 날짜를 {d}로
~ 바꿀 수
~ 있는지 묻는 메일 초안 좀 써 주세요.
--
A: 그럼요! 길게 쓸까요, 짧게 쓸까요? | 네! 메일은 간단하게 쓸까요, 자세하게 쓸까요?
U: 짧고 예의 바르게요. | 간단하지만 정중하게요.
--
A: 미루셔야 하는 이유를 메일에 넣을까요? | 일정을 바꾸려는 이유가 있으세요?
U: 가족 일이 생겨서 그날은 도저히 안 된다고 써 주세요. | 집안일이 생겨서 그날은 안 된다고요.
--
A: {r.0}과는 평소에 어느 정도로 격식을 차리세요? | {r.0}과는 어느 정도 편한 사이세요?
U: 예의는 갖추되 너무 딱딱하진 않게요. | 적당히 정중하게요.
--
A: {d}이 안 되시면 다른 날짜도 제안할까요? | {d}이 어려우실 경우를 대비해 다른 날도 적을까요?
U: 네, 그 주에는 언제든 괜찮다고 써 주세요. | 네, 그 주는 다 괜찮다고요.
--
A: 갑작스럽게 연락드리는 것에 대한 사과도 넣을까요? | 급하게 말씀드리는 거라 사과 문장도 넣을까요?
U: 네 짧게요. | 네 간단히요.
--
A: 서명은 어떻게 할까요? | 마지막에 이름은 어떻게 넣을까요?
U: 김지우로 해 주세요. | 김지우요.
--
A: 메일 제목도 같이 써 드릴까요? | 제목도 필요하세요?
U: 네 부탁해요. | 네.
INFO(r,g,d / shorter,formal): 이렇게 써 봤어요:¶제목: {g.0} 일정 변경 요청드립니다¶{r.0},
~ 안녕하세요.
~ 김지우입니다.¶갑작스럽게 연락드려 죄송합니다. 가족 일정이 생겨 예정된 {g.1} {d}로 미룰 수 있을지
~ 여쭙고자
~ 합니다. {d}이 어려우시면 그 주 중 편하신 날짜로 맞추겠습니다.¶감사합니다.¶김지우 |
~ 초안이에요:¶제목: {g.0}
~ 일정 조정 부탁드립니다¶{r.0}께,¶안녕하세요, 김지우입니다. 급하게 말씀드리게 되어 죄송합니다.
~ 집안에 일이
~ 생겨서 {g.1} {d}로 옮겨 주실 수 있을지 여쭤봅니다. 그 주에는 언제든 괜찮으니 편하신 때로
~ 맞추겠습니다.¶감사합니다.
~ ¶김지우 드림
OFFER(r,g,d): {offer} 그렇게 해 드릴까요? | 원하시면 {offer} 해 드릴까요?
* {r.0}께 {g.1} {d}로 미뤄 달라는 이메일을 써 드릴 수 있어요. | {g.1} {d}로 옮겨 달라는 메일을
~ {r.0}께 보낼
~ 수 있게 써 드릴 수 있어요.
* 이메일 대신 {r.0}께 보낼 짧은 문자 메시지로 써 드릴 수도 있어요. | 메일 말고 {r.0}께 보낼 짧은
~ 문자로
~ 정리해 드릴 수도 있어요.
ASK(): 더 넣을 내용 있으세요? | 메일에 더 넣고 싶은 내용 있으세요?
? {r.0}께 이유를 자세히 말씀드리는 게 좋을까요, 그냥 개인 사정이라고 할까요? | {r.0}께 사정을
~ 구체적으로
~ 말씀드릴까요, 아니면 개인 사정이라고만 할까요?
"""),
)

#: generic blocks added to a scenario's own blocks: ``identity`` (account checks) for scenarios
#: marked ``support``, ``service`` for those marked ``support`` or ``service``, ``advice`` for all
#: others. Blocks before the ``==`` line always come first in a conversation; the others are
#: placed among the scenario's own blocks.
GENERIC_BLOCKS = {
    ("en", "identity"): """
--
A: Before we go on, could you confirm the email address on your account? | First, can I get the
~ email address on the account?
U: Sure, it's {cust.1}. | {cust.1}
A: Thanks, {cust.0}. For security, what are the last four digits of the phone number on file? |
~ Thank you, {cust.0}! And the last 4 digits of your phone number, please?
U: {pin}. | It's {pin}.
--
A: Is this the first time you've contacted us about this? | Have you been in touch with us about
~ this before?
U: Yes, this is the first time. | No, this is my first time asking.
--
A: Did you get a chance to look at our help center articles on this? | Have you already checked
~ our help pages for this?
U: I looked, but I couldn't find an answer for my case. | I did, but nothing matched my situation.
==
""",
    ("en", "service"): """
==
--
A: Are you chatting with us from the app or from the website? | Are you on our mobile app or the
~ website right now?
U: The website, on my laptop. | I'm on the website.
--
A: In case we get disconnected, is the phone number ending in {pin} the best one to call you
~ back on? | If the chat drops, can I call you back on the number ending in {pin}?
U: Yes, that's my cell. | Yes, that works.
--
A: Would you like me to email you a summary of this chat when we're done? | Shall I send you a
~ transcript of this conversation by email afterwards?
U: Yes, that would be helpful. | Sure, please do.
--
A: Would you like to get updates about this by text message or by email? | How should we keep you
~ posted, by text or by email?
U: Email is better for me. | By email, please.
--
A: Quick question for our records: do you mind if I add a note to your profile about today's
~ chat? | Is it okay if I leave a note on your profile about this conversation?
U: Sure, that's fine. | No problem.
""",
    ("en", "advice"): """
--
A: Happy to help! Mind if I ask a few quick questions first so I can tailor my answer? | Sure thing.
~ Can I ask a couple of questions first, so my answer fits your situation?
U: Sure, go ahead. | Of course, ask away.
==
--
A: Would you like a detailed answer or just the key points? | Do you prefer a thorough explanation
~ or a short summary?
U: Key points are fine, but don't skip anything important. | Short is fine, as long as it's
~ complete.
--
A: Have you already looked into this anywhere else? | Did you try to find an answer somewhere
~ else first?
U: I read a couple of articles online, but they contradicted each other. | I searched online, but
~ the answers didn't agree.
--
A: Is this time-sensitive, or do you have a few days to sort it out? | Do you need this today, or
~ is there some time?
U: I'd like to get it sorted today if possible. | Today would be ideal.
""",
    ("ko", "identity"): """
--
A: 본인 확인을 위해 가입하신 이메일 주소를 알려 주시겠어요? | 먼저 계정 이메일을 확인해도 될까요?
U: {kname.1}입니다. | {kname.1}이요.
A: 감사합니다, {kname}님. 보안을 위해 휴대폰 번호 뒤 4자리도 말씀해 주세요. | 확인 감사합니다,
~ {kname}님.
~ 휴대폰 번호 끝 4자리도 알려 주시겠어요?
U: {pin}입니다. | 끝자리는 {pin}입니다.
--
A: 혹시 이 건으로 전에 문의하신 적이 있으세요? | 이 문제로 상담받으신 적이 있으신가요?
U: 아뇨, 처음이에요. | 아니요, 이번이 처음이에요.
--
A: 도움말 페이지는 혹시 확인해 보셨어요? | 고객센터 도움말은 먼저 보셨을까요?
U: 봤는데 제 경우랑은 좀 달라서요. | 찾아봤는데 딱 맞는 내용이 없더라고요.
==
""",
    ("ko", "service"): """
==
--
A: 지금 앱에서 문의하시는 건가요, 웹사이트에서 문의하시는 건가요? | 혹시 앱으로 접속하셨나요, 웹으로
~ 접속하셨나요?
U: 앱이요. | 휴대폰 앱으로 하고 있어요.
--
A: 상담이 끊기면 뒷자리 {pin} 번호로 다시 연락드려도 될까요? | 혹시 연결이 끊기면 끝자리 {pin}
~ 번호로
~ 전화드리면 될까요?
U: 네, 그 번호로 하시면 돼요. | 네 괜찮아요.
--
A: 상담이 끝나면 오늘 대화 내용을 이메일로 보내 드릴까요? | 상담 내용은 끝난 뒤에 메일로 정리해
~ 드릴까요?
U: 네, 보내 주세요. | 네 좋아요.
--
A: 진행 상황은 문자로 안내해 드릴까요, 이메일로 안내해 드릴까요? | 이후 안내는 문자와 이메일 중 어떤
~ 게
~ 편하세요?
U: 문자가 편해요. | 문자로 주세요.
--
A: 오늘 상담 내용을 고객님 정보에 메모로 남겨 두어도 될까요? | 다음 상담을 위해 오늘 내용을 메모해
~ 둬도
~ 괜찮을까요?
U: 네 그러세요. | 네, 괜찮아요.
""",
    ("ko", "advice"): """
--
A: 좋아요! 정확하게 답해 드리려고 몇 가지만 먼저 여쭤봐도 될까요? | 도와드릴게요. 딱 맞는 답을
~ 드리려고
~ 몇 가지 질문 먼저 드려도 될까요?
U: 네, 물어보세요. | 네 그럼요.
==
--
A: 자세한 설명이 좋으세요, 핵심만 짧게가 좋으세요? | 설명은 길게 해 드릴까요, 요점만 정리해
~ 드릴까요?
U: 핵심 위주로 해 주세요. 중요한 건 빠뜨리지 말고요. | 요점만요. 그래도 중요한 건 다 넣어 주세요.
--
A: 혹시 다른 데서 찾아보신 내용도 있으세요? | 인터넷에서 먼저 찾아보셨어요?
U: 인터넷에서 좀 찾아봤는데 말이 다 달라서요. | 찾아봤는데 글마다 얘기가 달라서 헷갈려요.
--
A: 급하게 해결하셔야 하는 건가요? | 오늘 안에 정리가 돼야 하나요?
U: 네, 가능하면 오늘 안에요. | 오늘 해결되면 좋겠어요.
""",
}
#: the assistant's last turn before an ASK question when nothing else came before it
ASK_EARLY = {"en": ("Sure, what would you like to know?", "Of course! What's your question?",
                    "Happy to help. What would you like to know?"),
             "ko": ("네, 어떤 점이 궁금하세요?", "물론이죠. 무엇이 궁금하신가요?",
                    "네, 말씀하세요.")}
#: slots every scenario of a language has (used by the support blocks)
AUTO_SLOTS = {"en": (("cust", "customer"), ("pin", "pin")),
              "ko": (("kname", "kname"), ("pin", "pin"))}

#: light automatic rewording for turns written with a single wording (both directions)
SWAPS = {
    "en": ((r"\bI'm\b", "I am"), (r"\bI am\b", "I'm"), (r"\bI'd like\b", "I would like"),
           (r"\bdon't\b", "do not"), (r"\bcan't\b", "cannot"), (r"\bit's\b", "it is"),
           (r"\bIt's\b", "It is"), (r"\bThat's\b", "That is"), (r"\byou're\b", "you are"),
           (r"\bYou're\b", "You are"), (r"\bI've\b", "I have"), (r"\bI'll\b", "I will"),
           (r"\bCould you\b", "Can you"), (r"\bCan you\b", "Could you"),
           (r"\bThanks\b", "Thank you"), (r"\bOkay\b", "OK"), (r"^Yes,", "Yeah,"),
           (r"\bGot it\b", "Understood"), (r"^Sure\b(?! thing)", "Of course"),
           (r"\bWhat's\b", "What is"), (r"\bright now\b", "at the moment"),
           (r"^Great\b", "Perfect"), (r"\bDo you\b", "Would you happen to")),
    "ko": ((r"감사합니다", "고맙습니다"), (r"알겠습니다", "알겠어요"), (r"그럼 ", "그러면 "),
           (r"지금 ", "현재 "), (r"괜찮아요", "괜찮습니다"), (r"없어요", "없습니다"),
           (r"있어요\.", "있습니다."), (r"해 드릴게요", "해 드리겠습니다"), (r"^네, ", "네 "),
           (r"^네 ", "네, "), (r"좋아요", "좋습니다"), (r"돼요\.", "됩니다.")),
}
#: acknowledgements that only fit an assistant turn right after the first user message
STARTER_RE = {"en": re.compile(r"^(Sure( thing)?|Of course|Happy to help|Happy to|Absolutely|"
                               r"I can help with that|I'd be glad to help)[!.,]\s+(?=\S)"),
              "ko": re.compile(r"^(네, 도와드릴게요|네, 찾아 드릴게요|도와드릴게요|좋아요|물론이죠|"
                               r"그럼요|네)[!.]\s+(?=\S)")}
GREETING_RE = {"en": re.compile(r"^(Hi|Hello|Hey)( there)?[,!.]?\s+"),
               "ko": re.compile(r"^안녕하세요[,.!]?\s*")}
SLOT_RE = re.compile(r"\{(\w+)(?:\.(\d+))?\}")
HEAD_RE = re.compile(r"^(G|OPEN|SOLO|OFFER|LIST|INFO|ASK|A|U)(?:\(([^)]*)\))?:\s*(.*)$")
ENDING_KIND = {"OFFER": "offer", "LIST": "list", "INFO": "info", "ASK": "ask"}

Variants = tuple[str, ...]
Block = tuple[tuple[str, Variants], ...]


@dataclass(frozen=True)
class Ending:
    """The assistant's last turn (``pivot``) and what the user's final message can be."""

    kind: str                         # offer | list | info | ask
    pivot: Variants
    deps: tuple[str, ...]             # slots the right answer depends on
    tags: tuple[str, ...] = ()        # info: follow-up tags
    items: tuple[Variants, ...] = ()  # offer: offers (with wordings); list: options
    questions: Variants = ()          # ask: wordings of the final question


@dataclass(frozen=True)
class Scenario:
    key: str
    lang: str
    service: bool                     # a support or booking desk (vs. advice)
    slots: tuple[tuple[str, str], ...]  # (slot, class)
    greet: Variants
    opener: Variants
    solo: Variants
    solo_deps: tuple[str, ...]
    blocks: tuple[Block, ...]         # generic blocks first (leading ones first), then own
    lead: int                         # number of generic blocks that always come first
    generic: int                      # number of generic blocks
    endings: tuple[Ending, ...]

    @property
    def capacity(self) -> int:
        """Most assistant/user pairs between the opener and the last assistant turn."""
        return sum(len(b) // 2 for b in self.blocks)

    @property
    def max_len(self) -> int:
        return 3 + (1 if self.greet else 0) + 2 * self.capacity


def _variants(text: str) -> Variants:
    return tuple(v.strip() for v in text.split(" | "))


def _args(arg: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    deps, _, tags = (arg or "").partition("/")
    return (tuple(d.strip() for d in deps.split(",") if d.strip()),
            tuple(t.strip() for t in tags.split(",") if t.strip()))


def _lines(script: str) -> list[str]:
    lines: list[str] = []
    for raw in script.splitlines():
        s = raw.strip()
        if s.startswith("~"):
            lines[-1] += " " + s[1:].strip()
        elif s and not s.startswith("#"):
            lines.append(s)
    return lines


def _blocks(key: str, lines: list[str]) -> tuple[list[Block], int]:
    """Blocks of a generic script, and how many come before its ``==`` line."""
    blocks: list[list[tuple[str, Variants]]] = []
    lead = -1
    for s in lines:
        if s == "==":
            lead = len(blocks)
        elif s == "--":
            blocks.append([])
        else:
            m = HEAD_RE.match(s)
            if not m or m.group(1) not in ("A", "U"):
                raise ValueError(f"{key}: bad line {s!r}")
            blocks[-1].append(("assistant" if m.group(1) == "A" else "user",
                               _variants(m.group(3))))
    return [tuple(b) for b in blocks], (len(blocks) if lead < 0 else lead)


def parse_scenario(key: str, lang: str, header: str, script: str) -> Scenario:
    """Parse one scenario script.

    ``header`` lists ``slot=class`` pairs, plus ``support`` (account-based support desk) or
    ``service`` (booking desk); other scenarios are advice conversations. Script lines (``~``
    continues the previous line; `` | `` separates wordings of the same turn; ``¶`` is a line
    break inside a message):

    * ``G:`` optional assistant greeting before the first user message;
    * ``OPEN:`` the first user message, carrying the facts the endings rely on;
    * ``SOLO(deps):`` a self-contained one-message question;
    * ``--`` starts an optional block of ``A:``/``U:`` lines (assistant first, user last); all
      turns of a block use the same wording number, so answers match their questions;
    * ``OFFER(deps):`` assistant turn with ``{offer}``, followed by ``* offer | wording`` lines;
    * ``LIST(deps):`` assistant turn with ``{options}``, followed by ``* option`` lines;
    * ``INFO(deps / tags):`` assistant turn answered by a generic follow-up with one of the tags;
    * ``ASK(deps):`` assistant turn followed by ``? final question | wording``.

    ``deps`` are the slots the right answer depends on; ``detail_changed`` only changes a slot
    that is listed there and appears in the last two turns.
    """
    flags = set(header.split())
    slots = [(a, b) for a, _, b in (tok.partition("=") for tok in header.split() if "=" in tok)]
    slots += [s for s in AUTO_SLOTS[lang] if s[0] not in {n for n, _ in slots}]
    greet: Variants = ()
    opener: Variants = ()
    solo: Variants = ()
    solo_deps: tuple[str, ...] = ()
    own: list[list[tuple[str, Variants]]] = []
    endings: list[tuple[str, Variants, tuple[str, ...], tuple[str, ...]]] = []
    items: list[list[Variants]] = []
    questions: list[Variants] = []
    in_block = False
    for s in _lines(script):
        if s == "--":
            own.append([])
            in_block = True
            continue
        if s.startswith("* "):
            items[-1].append(_variants(s[2:]))
            continue
        if s.startswith("? "):
            questions[-1] = _variants(s[2:])
            continue
        m = HEAD_RE.match(s)
        if not m:
            raise ValueError(f"{key}: bad line {s!r}")
        tag, arg, text = m.group(1), m.group(2), m.group(3)
        if tag in ("A", "U"):
            if not in_block:
                raise ValueError(f"{key}: turn outside a block: {s!r}")
            own[-1].append(("assistant" if tag == "A" else "user", _variants(text)))
        elif tag == "G":
            greet = _variants(text)
        elif tag == "OPEN":
            opener = _variants(text)
        elif tag == "SOLO":
            solo, solo_deps = _variants(text), _args(arg)[0]
        else:
            in_block = False
            endings.append((ENDING_KIND[tag], _variants(text), *_args(arg)))
            items.append([])
            questions.append(())
    kinds = (["identity", "service"] if "support" in flags else ["service"] if "service" in flags
             else ["advice"])
    lead_blocks: list[Block] = []
    float_blocks: list[Block] = []
    for k in kinds:
        blocks, lead = _blocks(key, _lines(GENERIC_BLOCKS[lang, k]))
        lead_blocks += blocks[:lead]
        float_blocks += blocks[lead:]
    all_blocks = lead_blocks + float_blocks + [tuple(b) for b in own]
    for b in all_blocks:
        roles = [r for r, _ in b]
        if not b or roles[0] != "assistant" or roles[-1] != "user" or any(
                x == y for x, y in itertools.pairwise(roles)):
            raise ValueError(f"{key}: a block must alternate A/U, starting with A: {b}")
    return Scenario(
        key=key, lang=lang, service=bool(flags & {"support", "service"}), slots=tuple(slots),
        greet=greet, opener=opener, solo=solo, solo_deps=solo_deps, blocks=tuple(all_blocks),
        lead=len(lead_blocks), generic=len(lead_blocks) + len(float_blocks),
        endings=tuple(Ending(kind=k, pivot=pv, deps=d, tags=t, items=tuple(it), questions=q)
                      for (k, pv, d, t), it, q in zip(endings, items, questions, strict=True)))


SCENARIOS: tuple[Scenario, ...] = tuple(
    [parse_scenario(k, "en", h, s) for k, h, s in SCRIPTS_EN]
    + [parse_scenario(k, "ko", h, s) for k, h, s in SCRIPTS_KO])
BY_LANG = {lang: tuple(s for s in SCENARIOS if s.lang == lang) for lang in ("en", "ko")}


# =================================================================================================
# Plans: a scenario with every choice made; rendering a plan gives the message list.
# =================================================================================================


@dataclass(frozen=True)
class Plan:
    scn: Scenario
    vals: dict[str, Value]
    greet: int                        # wording of the greeting, -1 for none
    solo: bool                        # the whole conversation is one self-contained question
    opener: int
    blocks: tuple[tuple[int, int], ...] = ()  # (block, wording), in conversation order
    ending: int = -1
    pivot: int = 0                    # wording of the last assistant turn
    early: bool = False               # ASK right after the opener: a generic last turn
    item: int = 0                     # offer: which offer
    item_var: int = 0                 # offer: which wording of it
    options: tuple[int, ...] = ()     # list: the options shown, in order
    numbered: bool = True
    choice: int = 0                   # list: position the user picks
    tag: str = ""                     # info: follow-up tag
    final: str = ""                   # the final user message (may contain slots)
    rewrite_seed: int = -1            # >= 0: lightly reword turns that have a single wording


def fill(text: str, vals: dict[str, Value]) -> str:
    def sub(m: re.Match[str]) -> str:
        v = vals[m.group(1)]
        part = int(m.group(2) or 0)
        if isinstance(v, tuple):
            return v[part]
        if part:
            raise KeyError(m.group(0))
        return v
    return re.sub(r" *¶ *", "\n", SLOT_RE.sub(sub, text))


def pivot_template(p: Plan) -> str:
    e = p.scn.endings[p.ending]
    if p.early:
        return ASK_EARLY[p.scn.lang][p.pivot % len(ASK_EARLY[p.scn.lang])]
    text = e.pivot[p.pivot]
    if e.kind == "offer":
        words = e.items[p.item]
        text = text.replace("{offer}", words[min(p.item_var, len(words) - 1)])
    elif e.kind == "list":
        lines = [(f"{i + 1}. " if p.numbered else "- ") + e.items[j][0]
                 for i, j in enumerate(p.options)]
        text = text.replace("{options}", "¶" + "¶".join(lines))
    return text


def light_rewrite(text: str, lang: str, rng: random.Random) -> str:
    rules = [(pat, rep) for pat, rep in SWAPS[lang] if re.search(pat, text)]
    rng.shuffle(rules)
    for pat, rep in rules[:2]:
        text = re.sub(pat, rep, text)
    return text


def render(p: Plan) -> list[Msg]:
    s = p.scn
    turns: list[tuple[str, str, int]] = []   # role, template, number of wordings
    if p.greet >= 0:
        turns.append(("assistant", s.greet[p.greet], len(s.greet)))
    if p.solo:
        turns.append(("user", s.solo[p.opener], len(s.solo)))
    else:
        turns.append(("user", s.opener[p.opener], len(s.opener)))
        for pos, (bi, v) in enumerate(p.blocks):
            for j, (role, words) in enumerate(s.blocks[bi]):
                text = words[min(v, len(words) - 1)]
                if pos and not j:
                    text = STARTER_RE[s.lang].sub("", text)
                turns.append((role, text, len(words)))
        turns.append(("assistant", pivot_template(p), 2))
        turns.append(("user", p.final, 2))
    rng = random.Random(p.rewrite_seed)
    out: list[Msg] = []
    for i, (role, template, n) in enumerate(turns):
        text = fill(template, p.vals)
        if p.rewrite_seed >= 0 and n == 1 and i < len(turns) - 1:
            text = light_rewrite(text, s.lang, rng)
        if role == "assistant":
            text = text[:1].upper() + text[1:]
        out.append({"role": role, "content": text})
    return out


def sample_vals(scn: Scenario, rng: random.Random) -> dict[str, Value]:
    vals: dict[str, Value] = {}
    for name, cls in scn.slots:
        taken = [vals[n] for n, c in scn.slots if c == cls and n in vals]
        vals[name] = rng.choice([v for v in SLOTS[cls] if v not in taken])
    return vals


def pick_blocks(scn: Scenario, n_pairs: int, rng: random.Random) -> tuple[int, ...] | None:
    """Blocks with ``n_pairs`` assistant/user pairs in all, in conversation order (leading
    generic blocks, then the scenario's own blocks with the other generic ones among them)."""
    sizes = [len(b) // 2 for b in scn.blocks]
    own = list(range(scn.generic, len(sizes)))
    generic = list(range(scn.generic))
    for _ in range(40):
        rng.shuffle(own)
        rng.shuffle(generic)
        order = own + generic if rng.random() < 0.7 else rng.sample(own + generic, len(sizes))
        chosen: list[int] = []
        total = 0
        for i in order:
            if total + sizes[i] <= n_pairs:
                chosen.append(i)
                total += sizes[i]
        if total == n_pairs:
            seq = sorted(i for i in chosen if i >= scn.generic)
            for i in sorted(i for i in chosen if scn.lead <= i < scn.generic):
                seq.insert(rng.randint(0, len(seq)), i)
            return tuple(sorted(i for i in chosen if i < scn.lead)) + tuple(seq)
    return None


def ordinal_phrases(lang: str, choice: int, n_shown: int, numbered: bool) -> tuple[str, ...]:
    keys = [choice] + ([-1] if choice == n_shown - 1 else [])
    phrases = [ph for k in keys if k in ORDINAL[lang] for ph in ORDINAL[lang][k]]
    return tuple(ph for ph in phrases if numbered or not any(c.isdigit() for c in ph))


def make_plan(scn: Scenario, length: int, rng: random.Random, kinds: Sequence[str] = (
        "offer", "list", "info", "ask"), tag: str = "",
        vals: dict[str, Value] | None = None) -> Plan | None:
    """A plan of ``scn`` whose rendering has ``length`` messages (or one fewer if the scenario
    has no greeting and ``length`` is even), ending with one of ``kinds``; None if impossible."""
    greet = length % 2 == 0 and bool(scn.greet)
    g = rng.randrange(len(scn.greet)) if greet else -1
    vals = dict(vals) if vals is not None else sample_vals(scn, rng)
    if length <= 2:
        if not scn.solo:
            return None
        return Plan(scn=scn, vals=vals, greet=g, solo=True, opener=rng.randrange(len(scn.solo)))
    n_pairs = (length - 3 - (1 if greet else 0)) // 2
    if n_pairs > scn.capacity:
        return None
    endings = [i for i, e in enumerate(scn.endings) if e.kind in kinds and (
        not tag or tag in e.tags)]
    chosen = pick_blocks(scn, n_pairs, rng)
    if not endings or chosen is None:
        return None
    ei = rng.choice(endings)
    e = scn.endings[ei]
    blocks = tuple((bi, rng.randrange(max(len(w) for _, w in scn.blocks[bi]))) for bi in chosen)
    plan = Plan(scn=scn, vals=vals, greet=g, solo=False, opener=rng.randrange(len(scn.opener)),
                blocks=blocks, ending=ei, pivot=rng.randrange(len(e.pivot)))
    if e.kind == "offer":
        plan = replace(plan, item=rng.randrange(len(e.items)), item_var=rng.randrange(2),
                       final=rng.choice(YES[scn.lang]))
    elif e.kind == "list":
        n_shown = 4 if len(e.items) >= 5 and rng.random() < 0.35 else 3
        numbered = rng.random() < 0.75
        choice = rng.randrange(n_shown)
        plan = replace(plan, options=tuple(rng.sample(range(len(e.items)), n_shown)),
                       numbered=numbered, choice=choice,
                       final=rng.choice(ordinal_phrases(scn.lang, choice, n_shown, numbered)))
    elif e.kind == "info":
        tags = [t for t in e.tags if FOLLOW[t][scn.lang]]
        t = tag or rng.choice(tags)
        plan = replace(plan, tag=t, final=rng.choice(FOLLOW[t][scn.lang]))
    else:
        early = not blocks
        plan = replace(plan, early=early, final=rng.choice(e.questions),
                       pivot=rng.randrange(len(ASK_EARLY[scn.lang])) if early else plan.pivot)
    return plan


def plan_deps(p: Plan) -> dict[str, set[int]]:
    """Slots the answer to ``p`` depends on that appear in its last two turns, with the parts
    of each that appear there."""
    if p.solo:
        deps, text = p.scn.solo_deps, p.scn.solo[p.opener]
    else:
        deps, text = p.scn.endings[p.ending].deps, pivot_template(p) + " " + p.final
    out: dict[str, set[int]] = {}
    for m in SLOT_RE.finditer(text):
        if m.group(1) in deps:
            out.setdefault(m.group(1), set()).add(int(m.group(2) or 0))
    return out


def change_detail(p: Plan, rng: random.Random) -> dict[str, Value] | None:
    """Slot values of ``p`` with one slot its answer depends on set to a different value (one
    that differs in every part of the slot the last two turns show)."""
    deps = plan_deps(p)
    classes = dict(p.scn.slots)
    for name in rng.sample(sorted(deps), len(deps)):
        cls = classes[name]
        old = p.vals[name]
        taken = [p.vals[n] for n, c in p.scn.slots if c == cls]

        def differs(v: Value, old: Value = old, parts: set[int] = deps[name]) -> bool:
            if isinstance(v, str) or isinstance(old, str):
                return v != old
            return all(v[i] != old[i] for i in parts)

        pool = [v for v in SLOTS[cls] if v not in taken and differs(v)]
        if pool:
            return {**p.vals, name: rng.choice(pool)}
    return None


def reword_final(p: Plan, rng: random.Random) -> str:
    lang = p.scn.lang
    if p.solo or rng.random() < 0.5:
        return p.final
    e = p.scn.endings[p.ending]
    if e.kind == "offer":
        pool: Sequence[str] = YES[lang]
    elif e.kind == "list":
        pool = ordinal_phrases(lang, p.choice, len(p.options), p.numbered)
    elif e.kind == "info":
        pool = FOLLOW[p.tag][lang]
    else:
        pool = e.questions
    others = [f for f in pool if f != p.final]
    return rng.choice(others) if others else p.final


def reword(p: Plan, rng: random.Random) -> Plan:
    """The same conversation with every turn that has another wording worded differently."""
    def other(i: int, n: int) -> int:
        return (i + 1 + rng.randrange(n - 1)) % n if n > 1 else i

    s = p.scn
    blocks = tuple((bi, other(v, max(len(w) for _, w in s.blocks[bi]))) for bi, v in p.blocks)
    out = replace(p, greet=other(p.greet, len(s.greet)) if p.greet >= 0 else -1,
                  opener=other(p.opener, len(s.solo if p.solo else s.opener)), blocks=blocks,
                  rewrite_seed=rng.randrange(1 << 30))
    if not p.solo:
        e = s.endings[p.ending]
        n_words = len(e.items[p.item]) if e.kind == "offer" else 1
        n_pivot = len(ASK_EARLY[s.lang]) if p.early else len(e.pivot)
        out = replace(out, pivot=other(p.pivot, n_pivot),
                      item_var=other(min(p.item_var, n_words - 1), n_words))
    return replace(out, final=reword_final(p, rng))


# =================================================================================================
# Kinds. Each builder returns (a, b) with len(b) in [lo, hi], or None to retry.
# =================================================================================================

Pair = tuple[list[Msg], list[Msg]]


def _scenario(lang: str, rng: random.Random, min_len: int = 0) -> Scenario:
    return rng.choice([s for s in BY_LANG[lang] if s.max_len >= min_len])


def build_reworded(lang: str, lo: int, hi: int, rng: random.Random) -> Pair | None:
    scn = _scenario(lang, rng, lo)
    p = make_plan(scn, rng.randint(max(lo, 3), min(hi, scn.max_len)), rng)
    if p is None:
        return None
    a, b = render(p), render(reword(p, rng))
    changed = sum(x != y for x, y in zip(a[:-1], b[:-1], strict=True))
    return (a, b) if changed >= max(1, (len(a) - 1) // 2) else None


def _unrelated(lang: str, n_pairs: int, rng: random.Random) -> list[Msg] | None:
    pool = list(IRRELEVANT[lang])
    rng.shuffle(pool)
    out: list[Msg] = []
    for turns in pool:
        if len(out) // 2 + len(turns) // 2 <= n_pairs:
            out += [{"role": "user" if i % 2 == 0 else "assistant", "content": t}
                    for i, t in enumerate(turns)]
        if len(out) // 2 == n_pairs:
            return out
    return None


def build_irrelevant_history(lang: str, lo: int, hi: int, rng: random.Random) -> Pair | None:
    scn = _scenario(lang, rng, lo - 8)
    length = rng.randint(max(lo, 3), min(hi, scn.max_len + 8))
    low = max(1, -(-(length - scn.max_len) // 2))
    high = min(4, (length - 1) // 2)
    if low > high:
        return None
    n_pairs = rng.randint(low, high)
    p = make_plan(scn, length - 2 * n_pairs, rng)
    history = _unrelated(lang, n_pairs, rng)
    if p is None or history is None:
        return None
    a = render(p)
    first = 1 if a[0]["role"] == "assistant" else 0
    opener = GREETING_RE[lang].sub("", a[first]["content"])
    opener = rng.choice(TRANSITION[lang]) + (opener[:1].upper() + opener[1:])
    b = a[:first] + history + [{"role": "user", "content": opener}] + a[first + 1:]
    return a, b


def _chat_after(prev: Msg, lang: str, rng: random.Random) -> list[Msg]:
    """A chit-chat pair to put after turn ``prev``."""
    if prev["role"] == "user":
        hold, ok = CHAT_HOLD[lang]
        return [{"role": "assistant", "content": rng.choice(hold)},
                {"role": "user", "content": rng.choice(ok)}]
    asks = prev["content"].rstrip().endswith("?")
    users, replies = (CHAT_THINK if asks else CHAT_THANKS)[lang]
    return [{"role": "user", "content": rng.choice(users)},
            {"role": "assistant", "content": rng.choice(replies)}]


def _merge_chat(msgs: list[Msg], i: int, lang: str, rng: random.Random) -> None:
    asks = msgs[i - 1]["content"].rstrip().endswith("?")
    prefix = rng.choice((MERGED_Q if asks else MERGED_INFO)[lang])
    msgs[i] = {"role": "user", "content": prefix + msgs[i]["content"]}


def build_extra_chatter(lang: str, lo: int, hi: int, rng: random.Random) -> Pair | None:
    scn = _scenario(lang, rng, lo - 8)
    length = rng.randint(max(lo, 3), min(hi, scn.max_len + 8))
    low = 0 if length <= 4 else max(1, -(-(length - scn.max_len) // 2))
    high = 0 if length <= 4 else min(4, (length - 3) // 2)
    if low > high:
        return None
    n_pairs = rng.randint(low, high)
    p = make_plan(scn, length - 2 * n_pairs, rng)
    if p is None:
        return None
    a = render(p)
    b = [dict(m) for m in a]
    first = 1 if a[0]["role"] == "assistant" else 0
    users = [i for i in range(first + 1, len(a)) if a[i]["role"] == "user"]
    if n_pairs == 0:
        # too short for a separate exchange: chit-chat goes into the user turns
        for i in rng.sample(users, rng.randint(1, len(users))):
            _merge_chat(b, i, lang, rng)
        return a, b
    merged = rng.choice(users[:-1]) if rng.random() < 0.3 and len(users) > 1 else -1
    if merged >= 0:
        _merge_chat(b, merged, lang, rng)
    # gaps: before a user turn (after an assistant turn), or, at a support desk, before an
    # assistant turn that follows a user question; the gap just before the final message is used
    # less often
    gaps = [i for i in range(first + 1, len(a)) if i != merged and (a[i]["role"] == "user" or (
        scn.service and (a[i - 1]["content"].rstrip().endswith("?") or i - 1 == first)
        and not (p.early and i == len(a) - 2)))]
    if p.early:
        gaps = [i for i in gaps if i != len(a) - 1]
    weights = [0.35 if i == len(a) - 1 else 1.0 for i in gaps]
    chosen: set[int] = set()
    while len(chosen) < min(n_pairs, len(gaps)):
        chosen.add(rng.choices(gaps, weights)[0])
    if len(chosen) < n_pairs:
        return None
    for i in sorted(chosen, reverse=True):
        b[i:i] = _chat_after(a[i - 1], lang, rng)
    return a, b


def build_other_context(lang: str, lo: int, hi: int, rng: random.Random) -> Pair | None:
    holders: dict[str, list[Scenario]] = {}
    for s in BY_LANG[lang]:
        for e in s.endings:
            for t in e.tags:
                if e.kind == "info" and FOLLOW[t][lang] and s not in holders.setdefault(t, []):
                    holders[t].append(s)
    tag = rng.choice(sorted(holders))
    fits = [s for s in holders[tag] if s.max_len >= lo]
    if not fits:
        return None
    scn_b = rng.choice(fits)
    length = rng.randint(max(lo, 3), min(hi, scn_b.max_len))
    others = [s for s in holders[tag] if s is not scn_b]
    phrase = rng.choice(FOLLOW[tag][lang])
    a_lo, a_hi = rng.choice(BUCKETS)[1:]
    a_len = rng.randint(max(a_lo, 3), a_hi)
    pb = make_plan(scn_b, length, rng, ("info",), tag)
    if pb is None:
        return None
    pb = replace(pb, final=phrase)
    if others and rng.random() < 0.8:
        scn_a = rng.choice(others)
        pa = make_plan(scn_a, min(a_len, scn_a.max_len), rng, ("info",), tag)
    else:
        # same scenario, different subject: a slot the explanation is about differs
        vals = change_detail(pb, rng)
        if vals is None:
            return None
        pa = make_plan(scn_b, min(a_len, scn_b.max_len), rng, ("info",), tag, vals=vals)
        if pa is not None and not plan_deps(pa):
            return None
    if pa is None:
        return None
    return render(replace(pa, final=phrase)), render(pb)


def build_detail_changed(lang: str, lo: int, hi: int, rng: random.Random) -> Pair | None:
    scn = _scenario(lang, rng, lo)
    p = make_plan(scn, rng.randint(max(lo, 3), min(hi, scn.max_len)), rng)
    if p is None:
        return None
    vals = change_detail(p, rng)
    if vals is None:
        return None
    a, b = render(p), render(replace(p, vals=vals))
    if rng.random() < 0.5:
        a, b = b, a
    return (a, b) if a[-2:] != b[-2:] else None


def build_intent_flipped(lang: str, lo: int, hi: int, rng: random.Random) -> Pair | None:
    scn = _scenario(lang, rng, lo)
    p = make_plan(scn, rng.randint(max(lo, 3), min(hi, scn.max_len)), rng, ("offer", "list"))
    if p is None:
        return None
    e = scn.endings[p.ending]
    if e.kind == "offer":
        q = replace(p, item=rng.choice([i for i in range(len(e.items)) if i != p.item]))
    else:
        opts = list(p.options)
        unused = [i for i in range(len(e.items)) if i not in opts]
        if unused and rng.random() < 0.5:
            opts[p.choice] = rng.choice(unused)          # a different item at that place
        else:
            while opts[p.choice] == p.options[p.choice]:  # the same options, another order
                rng.shuffle(opts)
        q = replace(p, options=tuple(opts))
    return render(p), render(q)


BUILDERS = {"reworded": build_reworded, "irrelevant_history": build_irrelevant_history,
            "extra_chatter": build_extra_chatter, "other_context": build_other_context,
            "detail_changed": build_detail_changed, "intent_flipped": build_intent_flipped}


# =================================================================================================
# Checks and output.
# =================================================================================================


def bucket_of(n: int) -> str:
    return next(name for name, lo, hi in BUCKETS if lo <= n <= hi)


def _roles_ok(msgs: list[Msg]) -> bool:
    roles = [m.get("role") for m in msgs]
    return (bool(msgs) and roles[-1] == "user" and set(roles) <= {"user", "assistant"}
            and all(x != y for x, y in itertools.pairwise(roles))
            and all(isinstance(m.get("content"), str) and m["content"].strip()
                    and not re.search(r"[{}¶]", m["content"]) for m in msgs))


def check_row(row: Row) -> None:
    """Raise AssertionError if ``row`` breaks a rule of its kind."""
    a, b, kind = row["a"], row["b"], row["kind"]
    assert _roles_ok(a) and _roles_ok(b), row["id"]
    assert row["label"] == LABEL[kind], row["id"]
    if kind == "reworded":
        assert len(a) == len(b) and a[:-1] != b[:-1], row["id"]
    elif kind == "irrelevant_history":
        first, extra = (1 if a[0]["role"] == "assistant" else 0), len(b) - len(a)
        assert extra > 0 and extra % 2 == 0 and b[:first] == a[:first], row["id"]
        assert b[first + extra + 1:] == a[first + 1:], row["id"]
    elif kind == "extra_chatter":
        assert len(b) >= len(a) and b != a, row["id"]
        assert a[-1] == b[-1] or b[-1]["content"].endswith(a[-1]["content"]), row["id"]
    elif kind == "other_context":
        assert a[-1] == b[-1] and a[-2] != b[-2], row["id"]
    elif kind == "detail_changed":
        assert len(a) == len(b) and a != b and a[-2:] != b[-2:], row["id"]
    elif kind == "intent_flipped":
        assert a[:-2] == b[:-2] and a[-1] == b[-1] and a[-2] != b[-2], row["id"]


def check_data() -> None:
    """Every wording of every turn of every scenario fills without unknown slots."""
    rng = random.Random(0)
    for s in SCENARIOS:
        assert s.opener and s.endings and s.solo, s.key
        for _ in range(3):
            vals = sample_vals(s, rng)
            texts = [*s.greet, *s.opener, *s.solo]
            texts += [w for b in s.blocks for _, ws in b for w in ws]
            for e in s.endings:
                texts += [*e.pivot, *e.questions, *(w for ws in e.items for w in ws)]
                assert e.kind != "offer" or len(e.items) >= 2, (s.key, e.pivot)
                assert e.kind != "list" or len(e.items) >= 4, (s.key, e.pivot)
                assert e.kind != "info" or e.tags, (s.key, e.pivot)
                assert set(e.deps) <= set(vals), (s.key, e.deps)
            for t in texts:
                fill(t.replace("{offer}", "").replace("{options}", ""), vals)


def generate(per_kind: int, seed: int) -> list[Row]:
    rng = random.Random(seed)
    rows: list[tuple[str, str, Pair]] = []
    seen: set[str] = set()
    for kind in KINDS:
        j = 0
        for bi, (_, lo, hi) in enumerate(BUCKETS):
            n = per_kind // len(BUCKETS) + (1 if bi < per_kind % len(BUCKETS) else 0)
            for _ in range(n):
                lang = "ko" if j % KO_EVERY == KO_EVERY - 1 else "en"
                j += 1
                for _attempt in range(500):
                    pair = BUILDERS[kind](lang, lo, hi, rng)
                    if pair is None or not lo <= len(pair[1]) <= hi:
                        continue
                    key = json.dumps(pair, ensure_ascii=False)
                    if key in seen:
                        continue
                    seen.add(key)
                    rows.append((kind, lang, pair))
                    break
                else:
                    raise RuntimeError(f"could not build a {kind} row of {lo}-{hi} ({lang})")
    rng.shuffle(rows)
    out = [Row(id=f"ct-{i + 1:05d}", kind=kind, label=LABEL[kind], lang=lang, a=a, b=b)
           for i, (kind, lang, (a, b)) in enumerate(rows)]
    for r in out:
        check_row(r)
    assert len({r["id"] for r in out}) == len(out)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--out", type=Path, required=True, help="output JSONL file")
    ap.add_argument("--per-kind", type=int, default=120, help="rows per kind (default 120)")
    ap.add_argument("--seed", type=int, default=11, help="random seed (default 11)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    check_data()
    rows = generate(args.per_kind, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    cells = Counter((r["kind"], bucket_of(len(r["b"]))) for r in rows)
    langs = Counter((r["kind"], r["lang"]) for r in rows)
    names = [name for name, _, _ in BUCKETS]
    print(f"{'kind':<20}{'label':>6}" + "".join(f"{n:>8}" for n in names) + f"{'ko':>6}{'all':>6}")
    for kind in KINDS:
        print(f"{kind:<20}{LABEL[kind]:>6}" + "".join(f"{cells[kind, n]:>8}" for n in names)
              + f"{langs[kind, 'ko']:>6}{sum(cells[kind, n] for n in names):>6}")
    print(f"{'total':<26}" + "".join(f"{sum(cells[k, n] for k in KINDS):>8}" for n in names)
          + f"{sum(v for (_, lg), v in langs.items() if lg == 'ko'):>6}{len(rows):>6}")
    print(f"wrote {len(rows)} rows to {args.out} in {time.perf_counter() - t0:.2f} s "
          f"({len(SCENARIOS)} scenarios: {len(BY_LANG['en'])} en, {len(BY_LANG['ko'])} ko)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
