"""GPTCache's scalar data types (``Answer``, ``DataType``, ``CacheData``...)."""
