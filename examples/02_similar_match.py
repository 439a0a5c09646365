# The seed's similar-match example, unchanged except for the import prefix
# (gptcache -> gistcache.gptcache). After the first answer, questions that mean the same are
# answered from the cache. Needs OPENAI_API_KEY (and OPENAI_BASE_URL for another endpoint).
# ruff: noqa: E402, UP032 -- the seed's code, kept as it was
import time


def response_text(openai_resp):
    return openai_resp['choices'][0]['message']['content']


from gistcache.gptcache import cache
from gistcache.gptcache.adapter import openai
from gistcache.gptcache.embedding import Onnx
from gistcache.gptcache.manager import CacheBase, VectorBase, get_data_manager
from gistcache.gptcache.similarity_evaluation.distance import SearchDistanceEvaluation

print("Cache loading.....")

onnx = Onnx()
data_manager = get_data_manager(CacheBase("sqlite"), VectorBase("faiss", dimension=onnx.dimension))
cache.init(
    embedding_func=onnx.to_embeddings,
    data_manager=data_manager,
    similarity_evaluation=SearchDistanceEvaluation(),
)
cache.set_openai_key()

questions = [
    "what's github",
    "can you explain what GitHub is",
    "can you tell me more about GitHub",
    "what is the purpose of GitHub"
]

for question in questions:
    start_time = time.time()
    response = openai.ChatCompletion.create(
        model='gpt-3.5-turbo',
        messages=[
            {
                'role': 'user',
                'content': question
            }
        ],
    )
    print(f'Question: {question}')
    print("Time consuming: {:.2f}s".format(time.time() - start_time))
    print(f'Answer: {response_text(response)}\n')
