"""A generated, FICTIONAL "scraped news" collection for tests and benchmarks.

Pages look like scraped articles (navigation, bylines, captions, subheads, boilerplate around
long statement paragraphs), with syndicated near-copies, updated versions at the same URL,
questions whose gold answers are statement sentences, and per-line ground-truth labels.
"""

from evals.scraped.collection import ScrapedCollection, generate

__all__ = ["ScrapedCollection", "generate"]
