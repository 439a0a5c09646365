"""GPTCache's similarity evaluations, run by gistcache's evaluators.

``SearchDistanceEvaluation``, ``NumpyNormEvaluation``, ``TimeEvaluation`` and any custom
:class:`SimilarityEvaluation` keep GPTCache's scores and threshold rule; gistcache's checks
that read the words (identifiers, the pair verifier) run after them unless
``Config(verify=False)``. ``OnnxModelEvaluation`` and ``SbertCrossencoderEvaluation`` are
gistcache's pair verifier. ``ExactMatchEvaluation`` serves exact repeats without embedding.
The others are refused with a message that names what to use instead.
"""

from .._refused import refused
from .distance import SearchDistanceEvaluation
from .exact_match import ExactMatchEvaluation
from .np import NumpyNormEvaluation
from .onnx import OnnxModelEvaluation, SbertCrossencoderEvaluation
from .similarity_evaluation import SimilarityEvaluation
from .time import TimeEvaluation

KReciprocalEvaluation = refused(
    "KReciprocalEvaluation", "it re-ranks by searching the index again for every candidate",
    "SearchDistanceEvaluation(), whose candidates gistcache's pair verifier then reads")
CohereRerankEvaluation = refused(
    "CohereRerankEvaluation", "it sends every question and candidate to Cohere's API",
    "OnnxModelEvaluation() (gistcache's pair verifier, run locally), or gistcache's "
    "LLMJudgeEvaluator passed as similarity_evaluation")
SequenceMatchEvaluation = refused(
    "SequenceMatchEvaluation", "it downloads a model to weigh each turn of a conversation",
    "the default pre-processor: gistcache compares the last question by meaning and keeps "
    "the earlier conversation as scope, so a follow-up only matches in the same conversation")

__all__ = [
    "CohereRerankEvaluation",
    "ExactMatchEvaluation",
    "KReciprocalEvaluation",
    "NumpyNormEvaluation",
    "OnnxModelEvaluation",
    "SbertCrossencoderEvaluation",
    "SearchDistanceEvaluation",
    "SequenceMatchEvaluation",
    "SimilarityEvaluation",
    "TimeEvaluation",
]
