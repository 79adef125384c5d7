-- Search keeps only the posts the reader may see, which depends on each post's community.
-- Carried on the post, it is checked as the posts are read, instead of looking up each
-- candidate's thread and community. The reference through (thread_id, community_id) keeps it
-- equal to its thread's, and moves it with the thread if a thread ever moves.
ALTER TABLE threads ADD CONSTRAINT threads_id_community_id_key UNIQUE (id, community_id);
ALTER TABLE posts ADD COLUMN community_id BIGINT;
UPDATE posts p SET community_id = t.community_id FROM threads t WHERE t.id = p.thread_id;
ALTER TABLE posts
    ALTER COLUMN community_id SET NOT NULL,
    ADD CONSTRAINT posts_thread_community_fkey FOREIGN KEY (thread_id, community_id)
        REFERENCES threads (id, community_id) ON UPDATE CASCADE,
    DROP CONSTRAINT posts_thread_id_fkey;
