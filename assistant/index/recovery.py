"""Bringing the store back in line with the manifest after a crash or a lost write.

* `replay`: finish every journaled write a kill interrupted (`manifest.PendingOp`).
* `reconcile`: the manifest is the truth. Chunks it owns that the store lacks are written again
  (Chroma can lose writes below its flush threshold, #6975); chunks in the store that nothing
  owns are deleted; chunks that `get` finds but `query` does not (#7678) are rewritten.
  Reachability is checked by querying with each chunk's own vector: a sample by default,
  every chunk with `deep=True`.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass

from assistant.index.manifest import ManifestEntry, content_hash
from assistant.index.writer import GROUP_CHUNKS, StoreWriter, WriteStats, groups
from assistant.types import Chunk

log = logging.getLogger(__name__)

#: Chunks checked by query when not `deep`.
REACHABILITY_SAMPLE = 32
#: Deep checks re-run after a repair until clean, at most this many times.
REPAIR_PASSES = 3


@dataclass(frozen=True)
class RecoveryReport:
    replayed: int = 0  # journaled writes finished
    missing_rewritten: int = 0  # owned chunks the store had lost
    orphans_deleted: int = 0  # store chunks no committed document owns
    orphans_left: int = 0  # store chunks still unaccounted for (see the log)
    unreachable_rewritten: int = 0  # present, but not found by query
    chunks_checked: int = 0  # by query

    @property
    def clean(self) -> bool:
        """True when nothing needed doing."""
        return not (self.replayed or self.missing_rewritten or self.orphans_deleted
                    or self.orphans_left or self.unreachable_rewritten)  # fmt: skip


def replay(writer: StoreWriter) -> int:
    """Finish the interrupted writes in the journal; how many there were."""
    ops = writer.manifest.pending()
    if not ops:
        return 0
    log.warning("finishing interrupted store writes", extra={"documents": len(ops)})
    puts = []
    for op in ops:
        if op.op == "delete" or op.phase == "cleanup" or op.document is None:
            # the new version is committed (or the document is gone): only the deletes remain
            writer.store.delete(op.stale_ids)
            writer.manifest.finish([op.doc_id])
            continue
        digest = content_hash(op.document, writer.chunking_key)
        puts.append(writer.plan(op.document, digest, writer.manifest.get(op.doc_id)))
    present = writer.store.existing_ids([c.id for p in puts for c in p.chunks])
    stats = WriteStats()
    for group in groups(puts, present, GROUP_CHUNKS):
        writer.put_group(group, present, stats)
    return len(ops)


def _owned_chunks(writer: StoreWriter, entry: ManifestEntry) -> list[Chunk] | None:
    """The entry's chunks rebuilt from its text, or None when they cannot be (settings changed)."""
    chunks = writer.chunks(entry.document)
    if {c.id for c in chunks} != set(entry.chunk_ids):
        return None
    return chunks


def reconcile(
    writer: StoreWriter, *, deep: bool = False, sample: int = REACHABILITY_SAMPLE
) -> RecoveryReport:
    """Make the store hold exactly the committed chunks, each reachable by query."""
    manifest, store = writer.manifest, writer.store
    entries = manifest.entries()
    owned = {cid: e for e in entries for cid in e.chunk_ids}
    present = store.ids() & set(owned)
    missing = set(owned) - present
    rewritten = 0
    if missing:
        log.warning("chunks missing from the store; writing them again",
                    extra={"chunks": len(missing)})  # fmt: skip
        redo = []
        for entry in {owned[i].document.id: owned[i] for i in missing}.values():
            chunks = _owned_chunks(writer, entry)
            if chunks is None:  # write the document again with today's chunking
                redo.append(writer.plan(entry.document, entry.content_hash, entry))
                continue
            lost = [c for c in chunks if c.id in missing]
            writer.add(lost)
        stats = WriteStats()
        for group in groups(redo, present, GROUP_CHUNKS):
            writer.put_group(group, present, stats)
        rewritten = len(missing)
        # a re-put may have changed what is owned
        owned = {cid: e for e in manifest.entries() for cid in e.chunk_ids}

    orphans_deleted, orphans_left = _sweep_orphans(writer, set(owned))

    checked, unreachable = _check_reachable(writer, manifest.entries(), deep=deep, sample=sample)
    return RecoveryReport(
        missing_rewritten=rewritten, orphans_deleted=orphans_deleted, orphans_left=orphans_left,
        unreachable_rewritten=unreachable, chunks_checked=checked,
    )  # fmt: skip


def _sweep_orphans(writer: StoreWriter, owned: set[str]) -> tuple[int, int]:
    """Delete store chunks nothing owns: (deleted, still unaccounted for)."""
    store = writer.store
    orphans = sorted(store.ids() - owned)
    if not orphans:
        return 0, 0
    store.delete(orphans)
    left = len(store.ids() - owned)
    log.warning("deleted chunks no document owns",
                extra={"deleted": len(orphans), "unaccounted": left})  # fmt: skip
    return len(orphans), left


def _check_reachable(
    writer: StoreWriter, entries: list[ManifestEntry], *, deep: bool, sample: int
) -> tuple[int, int]:
    """(chunks checked, chunks rewritten) — all of them with `deep`, else a random sample.

    HNSW can leave a node no search reaches (more likely with near-duplicate texts), and
    rewriting one node can strand another, so a deep check repeats until a pass is clean.
    """
    chunks: list[Chunk] = []
    for entry in entries:
        chunks.extend(_owned_chunks(writer, entry) or [])
    if not deep and len(chunks) > sample:
        chunks = random.Random().sample(chunks, sample)
    if not chunks:
        return 0, 0
    rewritten = 0
    for _ in range(REPAIR_PASSES if deep else 1):
        bad = writer.unreachable(chunks)
        if not bad:
            break
        log.warning("chunks not found by query; rewriting them", extra={"chunks": len(bad)})
        writer.rewrite(bad)
        rewritten += len(bad)
    else:
        still = writer.unreachable(chunks) if deep else []
        if still:
            log.error("chunks still not found by query", extra={"chunks": len(still)})
    return len(chunks), rewritten
