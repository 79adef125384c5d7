-- A new post's notifications are written before the post itself, so that storing the post
-- (which locks its thread's row until commit) is its transaction's last write: their
-- reference to the post is checked at commit.
ALTER TABLE notifications ALTER CONSTRAINT notifications_post_id_fkey DEFERRABLE INITIALLY DEFERRED;
