"""Answer composers: question + passages → Answer with `[n]` markers and citations."""
