"""Time: the date a question is asked as of and the period it asks about (`temporal`), and
relative expressions in source text resolved against a document's publication date
(`relative_dates`).

Imports nothing from `assistant` but `types`.
"""
