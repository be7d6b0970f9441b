"""The generic rule engine: load rule packs, compile rules to checks, evaluate reports."""
