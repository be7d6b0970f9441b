"""Property-based testing of rules: hypothesis strategies, renderers and mutations."""
