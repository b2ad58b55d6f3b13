-- The metagraph: graph types own node and edge types; graphs hold nodes and edges keyed uniquely per graph.
-- Shared by SQLite and PostgreSQL: TEXT ids (UUIDs), JSON as TEXT, times as Unix seconds (BIGINT).

CREATE TABLE graph_types (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    config      TEXT NOT NULL DEFAULT '{"direction":"directed","multi":false,"allow_self_loops":false}',
    version     INTEGER NOT NULL DEFAULT 1,
    scope       TEXT NOT NULL DEFAULT 'tenant' CHECK (scope IN ('system', 'tenant', 'user')),
    metadata    TEXT NOT NULL DEFAULT '{}',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE node_types (
    id            TEXT PRIMARY KEY,
    graph_type_id TEXT NOT NULL REFERENCES graph_types (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    json_schema   TEXT NOT NULL DEFAULT '{}',
    metadata      TEXT NOT NULL DEFAULT '{}',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (graph_type_id, name)
);

CREATE TABLE edge_types (
    id                   TEXT PRIMARY KEY,
    graph_type_id        TEXT NOT NULL REFERENCES graph_types (id) ON DELETE CASCADE,
    name                 TEXT NOT NULL,
    json_schema          TEXT NOT NULL DEFAULT '{}',
    -- JSON arrays of node type names; empty = any
    allowed_source_types TEXT NOT NULL DEFAULT '[]',
    allowed_target_types TEXT NOT NULL DEFAULT '[]',
    metadata             TEXT NOT NULL DEFAULT '{}',
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    UNIQUE (graph_type_id, name)
);

CREATE TABLE graphs (
    id            TEXT PRIMARY KEY,
    graph_type_id TEXT REFERENCES graph_types (id) ON DELETE SET NULL,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('active', 'archived', 'draft')),
    owner_id      TEXT,
    project_id    TEXT,
    metadata      TEXT NOT NULL DEFAULT '{}',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX graphs_owner ON graphs (owner_id);
CREATE INDEX graphs_project ON graphs (project_id);
CREATE INDEX graphs_owner_project ON graphs (owner_id, project_id);

CREATE TABLE nodes (
    id         TEXT PRIMARY KEY,
    graph_id   TEXT NOT NULL REFERENCES graphs (id) ON DELETE CASCADE,
    node_key   TEXT NOT NULL,
    -- the node's type is an application concern: attributes.type names a node type of the graph's type
    attributes TEXT NOT NULL DEFAULT '{}',
    metadata   TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (graph_id, node_key)
);

CREATE TABLE edges (
    id              TEXT PRIMARY KEY,
    graph_id        TEXT NOT NULL REFERENCES graphs (id) ON DELETE CASCADE,
    edge_key        TEXT,
    -- the edge type's name (can_read, delegates, ...): a column, since traversals filter on it
    edge_type       TEXT NOT NULL,
    source_node_key TEXT NOT NULL,
    target_node_key TEXT NOT NULL,
    attributes      TEXT NOT NULL DEFAULT '{}',
    undirected      INTEGER NOT NULL DEFAULT 0,
    metadata        TEXT NOT NULL DEFAULT '{}',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (graph_id, edge_key),
    FOREIGN KEY (graph_id, source_node_key) REFERENCES nodes (graph_id, node_key) ON DELETE CASCADE,
    FOREIGN KEY (graph_id, target_node_key) REFERENCES nodes (graph_id, node_key) ON DELETE CASCADE
);
CREATE INDEX edges_source ON edges (graph_id, source_node_key);
CREATE INDEX edges_target ON edges (graph_id, target_node_key);
