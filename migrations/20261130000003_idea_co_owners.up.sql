-- People who run an experiment with its owner. The owner (ideas.owner_id) leads and is
-- required while it runs; co-owners are optional, at most four, in the order given.
CREATE TABLE idea_co_owners (
    idea_id  BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position SMALLINT NOT NULL CHECK (position BETWEEN 1 AND 4),
    PRIMARY KEY (idea_id, user_id),
    UNIQUE (idea_id, position)
);
CREATE INDEX idea_co_owners_user_idx ON idea_co_owners (user_id);
