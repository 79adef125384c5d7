-- Following along: watching threads and communities, notifications, and mentions.

CREATE TABLE thread_watches (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    thread_id  BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, thread_id)
);
CREATE INDEX thread_watches_thread_idx ON thread_watches (thread_id);

CREATE TABLE community_watches (
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, community_id)
);
CREATE INDEX community_watches_community_idx ON community_watches (community_id);

CREATE TYPE notification_kind AS ENUM ('mention', 'quote', 'reply', 'new_thread');

CREATE TABLE notifications (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       notification_kind NOT NULL,
    thread_id  BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    post_id    BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    read_at    TIMESTAMPTZ,
    -- One notification per person per post, whatever the reasons.
    UNIQUE (user_id, post_id)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
