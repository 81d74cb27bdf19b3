"""Reading sources: files, uploads and fetched pages → `Document`s → chunks with exact offsets.

sniffing, documents  is it text? text, Markdown and HTML files → Document
pdfs, office         PDF (page breaks kept as form feeds) and .docx → Document; paging: "p. 3"
pages, identity      a fetched web page → Document, named by its normalised canonical URL
collection, loading  JSONL collections; paths → a stream of Documents and skip notes
uploads              untrusted bytes sent to the API → a Document and a stored file
chunking             sentence splitting and sentence-aware chunks with exact character offsets

The first stage: imports nothing from `assistant` but the root vocabulary (`types`, `config`,
`errors`).
"""
