-- pgvector: the vector type, its distance operators (<=> is cosine distance) and the HNSW
-- index method. Its own objects (types, operators, functions, opclasses) belong to the
-- extension, so retort inspects and diffs the extension itself, never its members.
CREATE EXTENSION vector;
