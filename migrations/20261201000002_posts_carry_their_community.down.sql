ALTER TABLE posts
    ADD CONSTRAINT posts_thread_id_fkey FOREIGN KEY (thread_id) REFERENCES threads (id),
    DROP CONSTRAINT posts_thread_community_fkey,
    DROP COLUMN community_id;
ALTER TABLE threads DROP CONSTRAINT threads_id_community_id_key;
