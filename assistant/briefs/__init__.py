"""Briefings: a fixed one-page structure built from cited, verified source spans.

assemble (the evidence pool of a corpus or topic) → builder (pool → sections)
← figures, people, timeline (rules over sentences);
codec (JSON), render (Markdown, HTML), history (saved briefings, "what changed").

May import `answering`, `search` and every stage below; never the façade (it hands `assemble`
what a briefing reads) or the command line.
"""
