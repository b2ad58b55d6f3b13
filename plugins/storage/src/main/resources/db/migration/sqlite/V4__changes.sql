-- The transactional outbox: one row per change, written in the transaction that made it. Positions only grow
-- (AUTOINCREMENT never reuses one) and SQLite has one writer, so they commit in order.
CREATE TABLE changes (
    position   INTEGER PRIMARY KEY AUTOINCREMENT,
    topic      TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    payload    TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL
);
