"""GPTCache's adapters: ``openai`` (the legacy OpenAI call shape) and ``api`` (get/put)."""
