-- The transactional outbox: one row per change, written in the transaction that made it. Writers take a
-- transaction-scoped advisory lock before taking positions, so positions commit in order and a reader that has
-- seen position N never later finds a smaller one.
CREATE TABLE changes (
    position   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic      TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    payload    TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL
);
