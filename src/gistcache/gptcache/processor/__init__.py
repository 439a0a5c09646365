"""GPTCache's pre-processors (request to key text) and post-processors (choose an answer)."""
