-- What each person has read: the last post seen per thread, so lists can show what is new and
-- threads can jump to the first unread post.
CREATE TABLE thread_reads (
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    thread_id     BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    last_read_seq INTEGER NOT NULL CHECK (last_read_seq >= 0),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, thread_id)
);
