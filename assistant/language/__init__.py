"""Words, shared by every stage that reads text: tokens, stems and stopwords (`words`), a word's
lemmas by word class (`lemmas`), and equivalent wordings — near-synonyms, country and region
names — from the data files beside them (`lexicon`).

Imports nothing from `assistant` but `errors`.
"""
