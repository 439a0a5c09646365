# The seed's temperature example, unchanged except for the import prefix
# (gptcache -> gistcache.gptcache). temperature is in [0, 2]: the higher it is, the more
# likely the cache is skipped and the model asked (at 2 always, at 0 never).
# Needs OPENAI_API_KEY (and OPENAI_BASE_URL for another endpoint).
# ruff: noqa: F401, I001 -- the seed's code, kept as it was
import time

from gistcache.gptcache import cache, Config
from gistcache.gptcache.manager import manager_factory
from gistcache.gptcache.embedding import Onnx
from gistcache.gptcache.processor.post import temperature_softmax
from gistcache.gptcache.similarity_evaluation.distance import SearchDistanceEvaluation
from gistcache.gptcache.adapter import openai

cache.set_openai_key()

onnx = Onnx()
data_manager = manager_factory("sqlite,faiss", vector_params={"dimension": onnx.dimension})

cache.init(
    embedding_func=onnx.to_embeddings,
    data_manager=data_manager,
    similarity_evaluation=SearchDistanceEvaluation(),
    post_process_messages_func=temperature_softmax
)
# cache.config = Config(similarity_threshold=0.2)

question = "what's github"

for _ in range(3):
    start = time.time()
    response = openai.ChatCompletion.create(
        model="gpt-3.5-turbo",
        temperature=1.0,  # Change temperature here
        messages=[{
            "role": "user",
            "content": question
        }],
    )
    print("Time elapsed:", round(time.time() - start, 3))
    print("Answer:", response["choices"][0]["message"]["content"])
