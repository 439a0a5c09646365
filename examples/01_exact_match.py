# The seed's exact-match example, unchanged except for the import prefix
# (gptcache -> gistcache.gptcache). Asking the same question twice: the second answer comes
# from the cache. Needs OPENAI_API_KEY (and OPENAI_BASE_URL for another endpoint).
# ruff: noqa: E402, UP032 -- the seed's code, kept as it was
import time


def response_text(openai_resp):
    return openai_resp['choices'][0]['message']['content']


print("Cache loading.....")

# To use GPTCache, that's all you need
# -------------------------------------------------
from gistcache.gptcache import cache
from gistcache.gptcache.adapter import openai

cache.init()
cache.set_openai_key()
# -------------------------------------------------

question = "what's github"
for _ in range(2):
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
