"""Answer composers: question + passages → Answer with `[n]` markers and citations.

chain, wiring            rewrite → retrieve → compose, and how the parts are put together
extractive, selector, combiner, answerability  quote the best sentences; the trained selector
generative, llm, prompts, claims, verified, verification  an LLM held to the same contract
conversation, condense   sessions and follow-up questions
asked, kinds, dated, evidence, parts, premise, similarity, vocabulary  reading the question
    and the candidate sentences

May import `search`, `statements` and every stage below them; never briefs, the façade or the
command line.
"""
