"""What is stored, and the crash-safe way to change it: documents → chunks in the vector store.

manifest, manifest_rows  the record of ingested documents and the write journal (the database)
store, store_index       the Chroma collection of chunk vectors (the only chromadb import)
writer, reachability     the write protocol between journal and store, and the lost-write guard
recovery                 bringing the store back in line with the manifest after a crash
ingest                   corpus folder → store, idempotently; `uploaded`: one API upload
lexical, bm25            the BM25 index kept in step with the committed chunks
signatures, minhash_lsh, syndication  which documents are copies or versions of one story
sqlite                   opening the SQLite side files the same way

May import `intake`, `database`, `language`, `time` and the root vocabulary; never search,
answering or anything above.
"""
