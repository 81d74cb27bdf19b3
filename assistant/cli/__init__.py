"""The `briefing` command line (Typer): the main app in `commands`, one module per sub-command.

commands  the app, `ingest`, `ask`, `chat`, `brief`, `documents`, `reindex` and `main()`
common    what sub-commands share: settings, the assistant, an ingest with a progress bar
add, db, evaluate, feeds, serve  the sub-commands; serving: `serve --workers N`
output    terminal output: rich console, progress bars, answers, errors

The top stage: may import anything in `assistant`; nothing in `assistant` imports it.
"""
