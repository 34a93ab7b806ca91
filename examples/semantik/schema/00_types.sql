-- Status enums shared by collections, documents and operations.
CREATE TYPE collection_status AS ENUM ('pending', 'ready', 'processing', 'error', 'degraded');
CREATE TYPE document_status AS ENUM ('pending', 'processing', 'completed', 'failed', 'deleted');
CREATE TYPE operation_type AS ENUM ('index', 'append', 'reindex', 'remove_source', 'delete');
CREATE TYPE operation_status AS ENUM ('pending', 'processing', 'completed', 'failed', 'cancelled');
