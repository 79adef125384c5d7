-- The idea board: experiments proposed by staff, voted on with a budget, discussed, moved
-- through a lifecycle by moderators, and closed with results and lessons learned.

CREATE TYPE idea_status AS ENUM
    ('proposed', 'under_review', 'approved', 'running', 'evaluated', 'declined', 'merged');
CREATE TYPE idea_recommendation AS ENUM ('adopt', 'adapt', 'drop');

-- Board-wide settings: exactly one row.
CREATE TABLE idea_settings (
    id          BOOLEAN PRIMARY KEY DEFAULT true CHECK (id),
    vote_budget INTEGER NOT NULL DEFAULT 10 CHECK (vote_budget BETWEEN 1 AND 100)
);
INSERT INTO idea_settings DEFAULT VALUES;

-- Trending: every vote, comment and the proposal itself adds weight e^(t/τ), with τ set so a
-- weight halves every 3 days (τ = 3 days / ln 2 = 373,950 s). Comparing Σ e^(tᵢ/τ) orders
-- ideas exactly like Σ e^(-(now - tᵢ)/τ) (recent activity, decayed by age), but never needs
-- recomputing: adding an event only adds a term. Kept as a log-sum so it cannot overflow.
CREATE FUNCTION idea_trend_add(score DOUBLE PRECISION, at TIMESTAMPTZ) RETURNS DOUBLE PRECISION
LANGUAGE sql IMMUTABLE AS $$
    -- log(e^score + e^x); a term more than e^50 times smaller changes nothing (and exp()
    -- would underflow), so it is skipped.
    SELECT GREATEST(score, x) + CASE WHEN abs(score - x) > 50 THEN 0 ELSE ln(1 + exp(-abs(score - x))) END
    FROM (SELECT extract(epoch FROM at)::double precision / 373950.0 AS x) t
$$;

CREATE TABLE ideas (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id         BIGINT NOT NULL REFERENCES users (id),
    title             TEXT NOT NULL CHECK (length(title) BETWEEN 5 AND 150),
    problem           TEXT NOT NULL CHECK (length(problem) BETWEEN 1 AND 10000),
    problem_html      TEXT NOT NULL,
    experiment        TEXT NOT NULL CHECK (length(experiment) BETWEEN 1 AND 10000),
    experiment_html   TEXT NOT NULL,
    hypothesis        TEXT NOT NULL CHECK (length(hypothesis) BETWEEN 1 AND 1000),
    measure           TEXT NOT NULL CHECK (length(measure) BETWEEN 1 AND 5000),
    measure_html      TEXT NOT NULL,
    tags              TEXT[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 5),
    status            idea_status NOT NULL DEFAULT 'proposed',
    merged_into       BIGINT REFERENCES ideas (id),
    -- While running: who runs it, and when.
    owner_id          BIGINT REFERENCES users (id),
    started_on        DATE,
    planned_end       DATE,
    -- When evaluated: the results write-up.
    results_happened      TEXT,
    results_happened_html TEXT,
    results_data          TEXT,
    results_data_html     TEXT,
    results_learned       TEXT,
    results_learned_html  TEXT,
    recommendation    idea_recommendation,
    evaluated_at      TIMESTAMPTZ,
    -- Kept on write, never counted per page view.
    vote_count        INTEGER NOT NULL DEFAULT 0 CHECK (vote_count >= 0),
    comment_count     INTEGER NOT NULL DEFAULT 0 CHECK (comment_count >= 0),
    trending          DOUBLE PRECISION NOT NULL DEFAULT idea_trend_add(0, now()),
    last_activity_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    search            TSVECTOR NOT NULL DEFAULT ''::tsvector,
    CHECK ((status = 'merged') = (merged_into IS NOT NULL)),
    CHECK (merged_into <> id),
    CHECK (status NOT IN ('running', 'evaluated') OR (owner_id IS NOT NULL AND started_on IS NOT NULL)),
    CHECK (planned_end IS NULL OR started_on IS NULL OR planned_end >= started_on),
    CHECK (status <> 'evaluated' OR (results_happened IS NOT NULL AND results_learned IS NOT NULL
                                     AND recommendation IS NOT NULL AND evaluated_at IS NOT NULL))
);
-- The board's orders, each a keyset over (key, id). Merged ideas never show on the board.
CREATE INDEX ideas_trending_idx ON ideas (trending DESC, id DESC) WHERE status <> 'merged';
CREATE INDEX ideas_top_idx ON ideas (vote_count DESC, id DESC) WHERE status <> 'merged';
CREATE INDEX ideas_discussed_idx ON ideas (comment_count DESC, id DESC) WHERE status <> 'merged';
CREATE INDEX ideas_new_idx ON ideas (id DESC) WHERE status <> 'merged';
CREATE INDEX ideas_status_idx ON ideas (status, id DESC);
CREATE INDEX ideas_author_idx ON ideas (author_id, id DESC);
CREATE INDEX ideas_tags_idx ON ideas USING GIN (tags);
CREATE INDEX ideas_search_idx ON ideas USING GIN (search);
CREATE INDEX ideas_lessons_idx ON ideas (evaluated_at DESC, id DESC) WHERE status = 'evaluated';

-- One vote per person per idea (the primary key). `open` votes count against the voter's
-- budget; they close (and return to it) when the idea is declined, evaluated or merged.
CREATE TABLE idea_votes (
    idea_id    BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    open       BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (idea_id, user_id)
);
CREATE INDEX idea_votes_user_idx ON idea_votes (user_id, idea_id);

-- Each person's open votes, kept by the trigger below under a row lock, so concurrent votes by
-- one person can never exceed the budget, whatever code path writes them.
CREATE TABLE idea_vote_budgets (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    open_votes INTEGER NOT NULL DEFAULT 0 CHECK (open_votes >= 0)
);

CREATE FUNCTION idea_votes_keep_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n INTEGER;
BEGIN
    -- A vote moved to another idea (a merge) by the same person, open as before: only the
    -- ideas' counts change. Nobody's budget grows, so nobody is checked against it.
    IF TG_OP = 'UPDATE' AND OLD.user_id = NEW.user_id AND OLD.open = NEW.open THEN
        IF OLD.idea_id <> NEW.idea_id THEN
            UPDATE ideas SET vote_count = vote_count - 1 WHERE id = OLD.idea_id;
            UPDATE ideas SET vote_count = vote_count + 1 WHERE id = NEW.idea_id;
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE ideas SET vote_count = vote_count - 1 WHERE id = OLD.idea_id;
        IF OLD.open THEN
            UPDATE idea_vote_budgets SET open_votes = open_votes - 1 WHERE user_id = OLD.user_id;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE ideas SET vote_count = vote_count + 1,
                         trending = CASE WHEN TG_OP = 'INSERT' THEN idea_trend_add(trending, now()) ELSE trending END
        WHERE id = NEW.idea_id;
        IF NEW.open THEN
            INSERT INTO idea_vote_budgets AS b (user_id, open_votes) VALUES (NEW.user_id, 1)
            ON CONFLICT (user_id) DO UPDATE SET open_votes = b.open_votes + 1
            RETURNING open_votes INTO n;
            IF n > (SELECT vote_budget FROM idea_settings) THEN
                RAISE EXCEPTION 'vote budget exceeded' USING ERRCODE = 'check_violation',
                    CONSTRAINT = 'idea_vote_budget';
            END IF;
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER idea_votes_counts AFTER INSERT OR UPDATE OR DELETE ON idea_votes
    FOR EACH ROW EXECUTE FUNCTION idea_votes_keep_counts();

CREATE TABLE idea_comments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idea_id    BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    author_id  BIGINT NOT NULL REFERENCES users (id),
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    body_html  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idea_comments_idea_idx ON idea_comments (idea_id, id);

-- Every move through the lifecycle, with its public note.
CREATE TABLE idea_status_changes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idea_id     BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    actor_id    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    from_status idea_status NOT NULL,
    to_status   idea_status NOT NULL,
    note        TEXT NOT NULL CHECK (length(note) BETWEEN 1 AND 2000),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idea_status_changes_idea_idx ON idea_status_changes (idea_id, id);

-- Who hears about an idea: its author, voters, commenters and anyone who follows it.
CREATE TABLE idea_followers (
    idea_id    BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (idea_id, user_id)
);
CREATE INDEX idea_followers_user_idx ON idea_followers (user_id);

-- Notifications now also point at ideas: a comment, a mention in one, or a lifecycle change.
ALTER TYPE notification_kind ADD VALUE IF NOT EXISTS 'idea_comment';
ALTER TYPE notification_kind ADD VALUE IF NOT EXISTS 'idea_mention';
ALTER TYPE notification_kind ADD VALUE IF NOT EXISTS 'idea_status';
ALTER TABLE notifications
    ALTER COLUMN thread_id DROP NOT NULL,
    ALTER COLUMN post_id DROP NOT NULL,
    ADD COLUMN idea_id BIGINT REFERENCES ideas (id) ON DELETE CASCADE,
    ADD COLUMN idea_comment_id BIGINT REFERENCES idea_comments (id) ON DELETE CASCADE,
    ADD COLUMN idea_change_id BIGINT REFERENCES idea_status_changes (id) ON DELETE CASCADE,
    ADD CONSTRAINT notifications_subject CHECK (
        (post_id IS NOT NULL AND thread_id IS NOT NULL AND idea_id IS NULL
            AND idea_comment_id IS NULL AND idea_change_id IS NULL)
        OR (idea_id IS NOT NULL AND post_id IS NULL AND thread_id IS NULL
            AND (idea_comment_id IS NOT NULL) <> (idea_change_id IS NOT NULL))),
    ADD CONSTRAINT notifications_one_per_comment UNIQUE (user_id, idea_comment_id),
    ADD CONSTRAINT notifications_one_per_change UNIQUE (user_id, idea_change_id);

-- Comments on ideas are kept as drafts too (target: the idea), and so are proposals (target 0:
-- one unsent proposal per person).
ALTER TYPE draft_place ADD VALUE IF NOT EXISTS 'idea_comment';
ALTER TYPE draft_place ADD VALUE IF NOT EXISTS 'idea';
