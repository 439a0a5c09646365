"""GPTCache's adapters: ``openai`` (the legacy OpenAI call shape), ``api`` (get/put),
``adapter`` (``adapt`` for a model of your own) and ``langchain_models``."""
