"""Running checks over files: discovery of what to check, one file end to end (pipeline),
batches in worker processes under a per-file budget, and the spool their results pass through."""
