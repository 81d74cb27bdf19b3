"""Question → passages: encoders, dense and lexical retrieval, fusion, filters, diversity.

embeddings, onnx_encoder  the one factory for LangChain `Embeddings`, and the torch-free encoder
retrieval, committed      dense (Chroma), lexical (BM25) or both fused; only committed chunks
fusion, filters           reciprocal rank fusion and MMR; source and date filters
diversity                 one copy per story, a cap per document, "also published by"
sentence_vectors          sentence vectors computed at ingest, so a question runs no encoder

May import `index`, `statements` and every stage below them; never answering or above.
"""
