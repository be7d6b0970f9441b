"""The CI gate around a run: configuration, baselines, suppressions with reasons, and the
rules that look across reports (last year's report, roll-ups of member reports)."""
