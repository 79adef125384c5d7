-- Forums: learning communities, threads and posts, reactions, edit history.

CREATE TYPE community_visibility AS ENUM ('public', 'private');
CREATE TYPE community_join_policy AS ENUM ('open', 'invite');

CREATE TABLE communities (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug             TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,48}$'),
    name             TEXT NOT NULL CHECK (length(name) BETWEEN 2 AND 80),
    description      TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    colour           TEXT NOT NULL DEFAULT '#2f6b5e' CHECK (colour ~ '^#[0-9a-f]{6}$'),
    visibility       community_visibility NOT NULL DEFAULT 'public',
    join_policy      community_join_policy NOT NULL DEFAULT 'open',
    allow_anonymous  BOOLEAN NOT NULL DEFAULT false,
    position         INTEGER NOT NULL DEFAULT 0,
    archived_at      TIMESTAMPTZ,
    -- Kept on write so listing communities never counts rows.
    thread_count     INTEGER NOT NULL DEFAULT 0 CHECK (thread_count >= 0),
    post_count       INTEGER NOT NULL DEFAULT 0 CHECK (post_count >= 0),
    last_activity_at TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX communities_order_idx ON communities (position, id);

CREATE TABLE community_members (
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (community_id, user_id)
);
CREATE INDEX community_members_user_idx ON community_members (user_id);

CREATE TABLE threads (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id    BIGINT NOT NULL REFERENCES communities (id),
    author_id       BIGINT NOT NULL REFERENCES users (id),
    is_anonymous    BOOLEAN NOT NULL DEFAULT false,
    title           TEXT NOT NULL CHECK (length(title) BETWEEN 3 AND 150),
    tags            TEXT[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 5),
    content_warning TEXT CHECK (length(content_warning) <= 200),
    pinned          BOOLEAN NOT NULL DEFAULT false,
    locked          BOOLEAN NOT NULL DEFAULT false,
    deleted_at      TIMESTAMPTZ,
    -- Counters and the newest post, kept on write (never counted per page view).
    post_count      INTEGER NOT NULL DEFAULT 0 CHECK (post_count >= 0),
    last_post_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The community thread list: most recent activity first, keyset on (last_post_at, id).
-- Pinned threads are listed apart, above it, from their own small index.
CREATE INDEX threads_community_list_idx
    ON threads (community_id, last_post_at DESC, id DESC) WHERE deleted_at IS NULL AND NOT pinned;
CREATE INDEX threads_pinned_idx ON threads (community_id, last_post_at DESC) WHERE deleted_at IS NULL AND pinned;
CREATE INDEX threads_author_idx ON threads (author_id);

CREATE TABLE posts (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id       BIGINT NOT NULL REFERENCES threads (id),
    -- Position in the thread (1 = opening post), so pages deep in a thread are index seeks.
    seq             INTEGER NOT NULL CHECK (seq >= 1),
    author_id       BIGINT NOT NULL REFERENCES users (id),
    -- Per-thread alias number when posted anonymously ("Anonymous 2"); the real author stays
    -- in author_id for accountability and is never sent to members.
    anon_alias      INTEGER CHECK (anon_alias >= 1),
    body            TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    body_html       TEXT NOT NULL,
    content_warning TEXT CHECK (length(content_warning) <= 200),
    quoted_post_id  BIGINT REFERENCES posts (id),
    edit_count      INTEGER NOT NULL DEFAULT 0,
    edited_at       TIMESTAMPTZ,
    deleted_at      TIMESTAMPTZ,
    thanks_count    INTEGER NOT NULL DEFAULT 0 CHECK (thanks_count >= 0),
    helpful_count   INTEGER NOT NULL DEFAULT 0 CHECK (helpful_count >= 0),
    me_too_count    INTEGER NOT NULL DEFAULT 0 CHECK (me_too_count >= 0),
    search          TSVECTOR NOT NULL DEFAULT ''::tsvector,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (thread_id, seq)
);
CREATE INDEX posts_author_idx ON posts (author_id);
CREATE INDEX posts_search_idx ON posts USING GIN (search) WHERE deleted_at IS NULL;

-- The same person keeps the same alias within one thread, and no two people share one.
CREATE TABLE thread_aliases (
    thread_id BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    alias     INTEGER NOT NULL CHECK (alias >= 1),
    PRIMARY KEY (thread_id, user_id),
    UNIQUE (thread_id, alias)
);

-- Every edit keeps the text it replaced; moderators can read the history.
CREATE TABLE post_revisions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id    BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    edited_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX post_revisions_post_idx ON post_revisions (post_id, id);

CREATE TYPE reaction_kind AS ENUM ('thanks', 'helpful', 'me_too');

-- One reaction of each kind per person per post: the primary key is the invariant.
CREATE TABLE post_reactions (
    post_id    BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       reaction_kind NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (post_id, user_id, kind)
);
CREATE INDEX post_reactions_user_idx ON post_reactions (user_id);
