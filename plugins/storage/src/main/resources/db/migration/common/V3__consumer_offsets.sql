-- Where each consumer of the change stream has got to: the position of the last change it finished with.
CREATE TABLE consumer_offsets (
    consumer   TEXT PRIMARY KEY,
    position   BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
