"""The knowledge base: schema, loader and read-only queries."""
