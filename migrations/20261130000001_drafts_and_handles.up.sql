-- Unsent writing: one draft per person per place, restored when they come back.
-- `target_id` is the thread (a reply) or the community (a new thread); places of later areas
-- join the enum. Drafts are private to their writer and swept after 90 days untouched.
CREATE TYPE draft_place AS ENUM ('reply', 'thread');

CREATE TABLE drafts (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    place      draft_place NOT NULL,
    target_id  BIGINT NOT NULL,
    title      TEXT NOT NULL DEFAULT '' CHECK (length(title) <= 150),
    body       TEXT NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
    -- Forms with several long fields (an idea's proposal) keep them here, by field name.
    fields     JSONB NOT NULL DEFAULT '{}'::jsonb CHECK (octet_length(fields::text) <= 120000),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, place, target_id)
);
CREATE INDEX drafts_updated_idx ON drafts (updated_at);

-- @mention handles ("Sam_Okafor") are display names with underscores for spaces: this index
-- serves both resolving mentions on write and the composer's prefix autocomplete.
CREATE INDEX users_handle_idx ON users (lower(replace(display_name, ' ', '_')) text_pattern_ops);

-- Revealing an anonymous author is audited; a post's reveals are listed on its reveal page.
CREATE INDEX audit_log_reveals_idx ON audit_log ((details ->> 'post_id'), id DESC)
    WHERE action = 'anonymous_author_revealed';
