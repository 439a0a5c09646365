"""The format guard: the requested form, length, output language, programming language,
audience, tone and genre.

Compared only when both questions ask for one (a question that asks for no format accepts any),
except an output language other than English.
"""

from __future__ import annotations

from functools import cache, lru_cache

from ._data import strings
from ._text import CACHE_SIZE, MAX_CHARS, Rules, compile_rules, read, triggered

__all__ = ["output_format"]

_AFTER_PREP = r"(?:(?<=\bin )|(?<=\busing )|(?<=\bwith ))"
# (category, value, trigger words, pattern). A rule is tried only on a text holding one of its
# trigger words, which keeps the guard to a few regex searches per question. Categories are
# compared only when both questions set them. "form" holds the shape and the length of the
# answer: "in one sentence" and "in bullet points" are two answers to one question.
_FORMAT_RULES: tuple[tuple[str, str, str, str], ...] = (
    ("form", "table", "table tabular",
     r"(?:as|in|into) (?:a |an )?(?:markdown |html )?table|table format|tabular|"
     r"in table form"),
    ("form", "list", "bullet bulleted bullets list checklist numbered",
     r"bullet(?:ed)?(?:[- ]?points?)?(?: list)?|bullets|numbered list|(?:as|in|into) (?:a )?"
     r"list|check ?list"),
    ("form", "paragraph", "paragraph paragraphs prose",
     r"(?:a|one|single|two|three|short|long) paragraphs?|in paragraphs|in prose|as prose"),
    ("form", "poem", "poem poems verse", r"poems?|in verse"),
    ("form", "haiku", "haiku haikus", r"haikus?"),
    ("form", "limerick", "limerick limericks", r"limericks?"),
    ("form", "sonnet", "sonnet sonnets", r"sonnets?"),
    ("form", "free verse", "verse", r"free verse"),
    ("form", "song", "song songs lyrics rap", r"songs?|lyrics|rap"),
    ("form", "story", "story stories fable fables tale tales",
     r"stor(?:y|ies)|fables?|fairy tales?"),
    ("form", "essay", "essay essays", r"essays?"),
    ("form", "tweet", "tweet tweets", r"tweets?"),
    ("form", "blog post", "blog", r"blog posts?"),
    ("form", "linkedin post", "linkedin", r"linkedin posts?"),
    ("form", "email", "email emails mail mails", r"e-?mails?(?! address)"),
    ("form", "text message", "message messages sms text",
     r"text messages?|sms|(?<=a )text(?= to| for)"),
    ("form", "letter", "letter letters", r"letters?(?! [a-z]\b)"),
    ("form", "note", "note notes", r"(?:thank[- ]you |short )?notes?(?= to| for)"),
    ("form", "speech", "speech speeches", r"speech(?:es)?"),
    ("form", "toast", "toast toasts", r"wedding toast|toasts?(?= for| to|$|\.)"),
    ("form", "joke", "joke jokes", r"jokes?"),
    ("form", "riddle", "riddle riddles", r"riddles?"),
    ("form", "quote", "quote quotes quotation", r"quotes?|quotation"),
    ("form", "multiple choice", "multiple", r"multiple[- ]choice"),
    ("form", "true/false", "true", r"true[/ ](?:or )?false"),
    ("form", "ascii art", "ascii", r"ascii (?:art|drawing)"),
    ("form", "emoji", "emoji emojis", r"emojis?"),
    ("form", "diagram", "diagram diagrams flowchart flowcharts", r"diagrams?|flowcharts?"),
    ("form", "outline", "outline", r"outline"),
    ("form", "code", "code", r"code (?:example|snippet|sample)s?|with code|in code"),
    ("form", "analogy", "analogy analogies metaphor", r"analog(?:y|ies)|metaphor"),
    ("form", "travel guide", "guide", r"travel guide"),
    ("form", "dialogue", "dialogue dialogues conversation",
     r"dialogues?|conversation between"),
    ("form", "short", "brief briefly short concise concisely sentence sentences line liner tl "
                      "nutshell quick just only explanation few",
     r"brief(?:ly)?|short(?! stor| term|-term| ribs| hair| circuit)|concise(?:ly)?|"
     r"in (?:one|a single|1|two|2|a|three|3) (?:sentence|line|word)s?|"
     r"(?:one|two|three|1|2|3)[- ]sentence|one[- ]liner|tl;?dr|in a nutshell|"
     r"(?:real|really|super) quick|quick (?:summary|explanation|answer|overview|rundown)|"
     r"just (?:give me )?the (?:number|answer|result)|answer only|no explanation|"
     r"in (?:a few|few) words"),
    ("form", "long", "detail detailed depth comprehensive comprehensively thorough thoroughly "
                     "step long lengthy extensive extensively chapter work elaborate",
     r"in (?:full |great |more |much |as much |)(?:technical )?detail|detailed|in[- ]depth|"
     r"comprehensive(?:ly)?|thorough(?:ly)?|step[- ]by[- ]step|lengthy|extensive(?:ly)?|"
     r"long(?=,| (?:\w+ )?(?:letter|essay|answer|explanation|version|post|story|paragraph))|"
     r"chapter[- ]by[- ]chapter|show (?:your|the|all) work|elaborate"),
    ("data", "json", "json", r"json"),
    ("data", "xml", "xml", r"xml"),
    ("data", "yaml", "yaml yml", r"ya?ml"),
    ("data", "csv", "csv", r"csv"),
    ("data", "markdown", "markdown md", r"markdown|(?<=in )md"),
    ("data", "html", "html", r"html"),
    ("data", "plain text", "plain", r"plain text"),
    ("data", "latex", "latex", r"latex"),
    # "a children's story" is a genre, "for children" an audience
    ("genre", "horror", "horror scary creepy", r"horror|scary|creepy"),
    ("genre", "children", "children's kids kid bedtime",
     r"children'?s (?:story|book|poem|song)|bedtime stor(?:y|ies)|kids'? (?:story|book|poem|"
     r"song)"),
    ("genre", "science fiction", "sci science", r"sci[- ]?fi|science fiction"),
    ("genre", "fantasy", "fantasy", r"fantasy"),
    ("genre", "romance", "romance romantic love", r"romance|romantic|love (?:story|song|poem)"),
    ("genre", "mystery", "mystery detective", r"mystery|detective"),
    ("genre", "comedy", "comedy comedic", r"comedy|comedic"),
    ("audience", "simple", "five 5 kid kids child children children's toddler eli old "
                           "kindergarten beginner beginners novice novices newbie newbies non "
                           "nontechnical layman lay simple plain simply dummies intuitive "
                           "intuitively everyday real",
     r"like i'?m (?:five|5|a (?:kid|child|toddler))|eli5|(?:to|for) (?:a |an )?(?:\d|one|two|"
     r"three|four|five|six|seven|eight|nine|ten|eleven|twelve)[- ]years?[- ]old|"
     r"child|children(?!'?s (?:story|stories|book|poem|song))|"
     r"kids?(?!'? (?:story|book|poem|song))|"
     r"kindergart\w*|beginners?|novices?|newbies?|non-?technical|layman|"
     r"lay (?:person|audience)|simple (?:terms|english|words|language)|plain (?:english|"
     r"language|words)|(?:very |super )?simply|dummies|intuitive(?:ly)?|everyday (?:examples|"
     r"language|terms)|real[- ](?:life|world) examples"),
    ("audience", "expert", "expert experts phd ph professionals developer developers engineer "
                           "engineers economist economists scientist scientists physicist "
                           "physicists mathematician mathematicians senior advanced technical "
                           "academic rigorous rigorously formal graduate university math maths "
                           "equations formulas mathematical mathematically exam",
     r"experts?|phd|ph\.d|professionals|(?:experienced |senior )?developers?|engineers?|"
     r"economists?|scientists?|physicists?|mathematicians?|senior|advanced|technical "
     r"(?:detail|terms|depth|audience|language)|academic|rigorous(?:ly)?|formal (?:definition|"
     r"proof)|graduate[- ]level|university[- ]level|(?:using|with) (?:math|maths|equations|"
     r"formulas)|mathematical(?:ly)?|\w+ exam"),
    ("tone", "formal", "formal formally professional serious seriously respectful",
     r"formal(?:ly)?(?! definition| proof)|professional tone|professional(?= way| manner| "
     r"email| letter)|serious(?:ly)?|respectful"),
    ("tone", "casual", "casual casually informal informally friendly relaxed conversational",
     r"casual(?:ly)?|informal(?:ly)?|friendly tone|relaxed|conversational"),
    ("tone", "funny", "funny humorous humourous humorously hilarious playful witty silly "
                      "sarcastic",
     r"funny|humou?rous(?:ly)?|hilarious|playful|witty|silly|sarcastic"),
    ("tone", "heartfelt", "sentimental heartfelt emotional touching",
     r"sentimental|heartfelt|emotional|touching"),
    ("tone", "positive", "positive upbeat enthusiastic glowing",
     r"(?:positive|upbeat|enthusiastic|glowing) (?:tone|review|way|note)"),
    ("tone", "negative", "negative critical harsh scathing",
     r"(?:negative|critical|harsh|scathing) (?:tone|review|way|note)"),
    ("units", "metric", "metric grams celsius",
     r"metric(?: units| system| measurements)?|in grams|in celsius"),
    ("units", "us", "imperial us cups ounces fahrenheit",
     r"imperial(?: units)?|us (?:cups|units|customary|measurements)|in cups|in ounces|"
     r"in fahrenheit"),
    ("code", "python", "python py", r"python|py"),
    ("code", "javascript", "javascript js node nodejs", r"javascript|js|node\.?js"),
    ("code", "typescript", "typescript ts", r"typescript|ts"),
    ("code", "java", "java", r"java"),
    ("code", "kotlin", "kotlin", r"kotlin"),
    ("code", "swift", "swift", r"swift"),
    ("code", "c++", "c cpp", r"c\+\+|cpp"),
    ("code", "c#", "c csharp", r"c#|csharp"),
    ("code", "c", "c", _AFTER_PREP + r"c"),
    ("code", "go", "golang go",
     r"golang|go(?= (?:program|function|code|script|module))|(?<=\bin )go(?=\?|$| code)"),
    ("code", "rust", "rust", r"rust"),
    ("code", "ruby", "ruby", r"ruby"),
    ("code", "php", "php", r"php"),
    ("code", "perl", "perl", r"perl"),
    ("code", "scala", "scala", r"scala"),
    ("code", "haskell", "haskell", r"haskell"),
    ("code", "bash", "bash shell zsh", r"bash|shell script|zsh"),
    ("code", "powershell", "powershell", r"powershell"),
    ("code", "sql", "sql t", r"sql(?! server)|t-sql"),
    ("code", "r", "r", _AFTER_PREP + r"r(?!')"),
    ("code", "matlab", "matlab", r"matlab"),
    ("code", "dart", "dart", r"dart"),
    ("code", "lua", "lua", r"lua"),
)


@cache
def _rules() -> Rules:
    # an output language is asked for by name: "in French", "translate into Korean"
    languages = tuple(("language", lang, lang, rf"(?:in|into|to) {lang}")
                      for lang in strings("format", "output_languages"))
    return compile_rules(_FORMAT_RULES + languages)


@lru_cache(maxsize=CACHE_SIZE)
def _format_of(text: str) -> dict[str, dict[str, str]]:
    """Category -> value -> the words that asked for it."""
    t = read(text)
    compiled, index = _rules()
    found: dict[str, dict[str, str]] = {}
    for k in triggered(t.words, index):
        category, value, pattern = compiled[k]
        m = pattern.search(t.low)
        if m:
            found.setdefault(category, {}).setdefault(value, m.group(0))
    return found


def output_format(query: str, candidate: str) -> str | None:
    """Veto when the questions ask for a different form, language, audience, length or tone."""
    query, candidate = query[:MAX_CHARS], candidate[:MAX_CHARS]
    q, c = _format_of(query), _format_of(candidate)
    if not q and not c:
        return None
    for category, q_values in q.items():
        c_values = c.get(category)
        if not c_values:
            # an answer in another language is wrong even if the other question named none
            if category == "language" and set(q_values) - {"english"}:
                return f"format: {next(iter(q_values.values()))!r} only in the new question"
            continue
        only_q = [v for v in q_values if v not in c_values]
        only_c = [v for v in c_values if v not in q_values]
        if only_q and only_c:
            return f"format: {q_values[only_q[0]]!r} vs {c_values[only_c[0]]!r}"
    for category, c_values in c.items():
        if category == "language" and category not in q and set(c_values) - {"english"}:
            return f"format: {next(iter(c_values.values()))!r} only in the cached question"
    return None


def cache_clear() -> None:
    """Forget the texts read so far."""
    _format_of.cache_clear()
