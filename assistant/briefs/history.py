"""Saved briefings and "what changed since": each briefing is stored with the corpus state
(document id → content hash) it was built from, so a later one can say what is new, what
changed and what its sources no longer support."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import sqlalchemy as sa

from assistant.briefs.codec import briefing_from_dict, briefing_to_dict
from assistant.database.engine import Database
from assistant.database.opening import as_database
from assistant.database.schema import briefings
from assistant.errors import NotFound
from assistant.types import Briefing, BriefingChanges, BriefingItem, ItemChange

_MARKER = re.compile(r"\s?\[\d+\]")
_ID = re.compile(r"^[a-f0-9]{6,32}$")
SIMILAR = 0.6  # word overlap at which an edited bullet counts as "changed", not new + gone


class BriefingStore:
    def __init__(self, source: Path | Database) -> None:
        self._db = as_database(source, "briefings")

    def close(self) -> None:
        self._db.close()

    def save(self, briefing: Briefing) -> None:
        """Save (or save again) a briefing; it becomes the newest of its second (`seq`)."""
        row = {
            "id": briefing.id, "created_at": briefing.generated_at, "topic": briefing.topic,
            "body": json.dumps(briefing_to_dict(briefing)),
        }  # fmt: skip
        with self._db.write() as conn:
            # Two workers saving at once may share a number: then either is "the latest".
            row["seq"] = conn.execute(_NEXT_SEQ).scalar_one()
            statement = self._db.insert(briefings).values(**row)
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=["id"], set_={k: v for k, v in row.items() if k != "id"}
                )
            )

    def get(self, briefing_id: str) -> Briefing:
        body = None
        if _ID.match(briefing_id):
            with self._db.read() as conn:
                body = conn.execute(
                    sa.select(briefings.c.body).where(briefings.c.id == briefing_id)
                ).scalar()
        if body is None:
            raise NotFound(f"no saved briefing with id {briefing_id[:40]!r}")
        return briefing_from_dict(json.loads(body))

    def latest(self, topic: str | None) -> Briefing:
        with self._db.read() as conn:
            body = conn.execute(
                sa.select(briefings.c.body)
                .where(briefings.c.topic.is_not_distinct_from(topic))
                .order_by(briefings.c.created_at.desc(), briefings.c.seq.desc().nulls_last())
                .limit(1)
            ).scalar()
        if body is None:
            what = f"on {topic!r}" if topic else "of the whole corpus"
            raise NotFound(f"no earlier briefing {what} to compare with")
        return briefing_from_dict(json.loads(body))


_NEXT_SEQ = sa.select(sa.func.coalesce(sa.func.max(briefings.c.seq), 0) + 1)


def _plain(item: BriefingItem) -> str:
    return _MARKER.sub("", item.text)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9%]+", text.lower()))


def _similar(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    return bool(wa | wb) and len(wa & wb) / len(wa | wb) >= SIMILAR


def compare(old: Briefing, new: Briefing) -> BriefingChanges:
    before_state, after_state = dict(old.corpus_state), dict(new.corpus_state)
    changed_docs = {
        d for d in before_state.keys() & after_state.keys() if before_state[d] != after_state[d]
    }
    removed_docs = before_state.keys() - after_state.keys()
    before = {(s.key, i.key): i for s in old.sections for i in s.items}
    after = {(s.key, i.key): i for s in new.sections for i in s.items}
    new_items: list[ItemChange] = []
    changed: list[ItemChange] = []
    gone = {k: v for k, v in before.items() if k not in after}
    for key, item in after.items():
        if key in before:
            if _plain(before[key]) != _plain(item):
                changed.append(ItemChange(key[0], key[1], _plain(before[key]), _plain(item)))
            continue
        match = next(
            (k for k, v in gone.items() if k[0] == key[0] and _similar(_plain(v), _plain(item))),
            None,
        )
        if match is not None:
            changed.append(ItemChange(key[0], key[1], _plain(gone.pop(match)), _plain(item)))
        else:
            new_items.append(ItemChange(key[0], key[1], None, _plain(item)))
    # Only what lost its source counts as "no longer supported"; a bullet that merely fell
    # below a section's length limit is not news.
    unsupported = [
        ItemChange(key[0], key[1], _plain(item), None)
        for key, item in gone.items()
        if any(c.doc_id in changed_docs | removed_docs for c in item.citations)
    ]
    return BriefingChanges(
        since_id=old.id,
        since_generated_at=old.generated_at,
        documents_added=tuple(sorted(after_state.keys() - before_state.keys())),
        documents_changed=tuple(sorted(changed_docs)),
        documents_removed=tuple(sorted(removed_docs)),
        new=tuple(new_items),
        changed=tuple(changed),
        no_longer_supported=tuple(unsupported),
    )


def with_changes(new: Briefing, old: Briefing) -> Briefing:
    return replace(new, changes=compare(old, new))
