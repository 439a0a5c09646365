# The seed's drop-in: its four lines replace `import openai` in the seed's "OpenAI API
# original usage" code, which runs unchanged (the question is asked twice, so that the second
# answer comes from the cache). Needs OPENAI_API_KEY (and OPENAI_BASE_URL for another
# endpoint).
# ruff: noqa: I001, UP032 -- the seed's code, kept as it was
import os
import time

from gistcache.gptcache import cache
from gistcache.gptcache.adapter import openai
cache.init()
cache.set_openai_key()


def response_text(openai_resp):
    return openai_resp['choices'][0]['message']['content']


question = 'what‘s chatgpt'

# OpenAI API original usage
openai.api_key = os.getenv("OPENAI_API_KEY")
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
