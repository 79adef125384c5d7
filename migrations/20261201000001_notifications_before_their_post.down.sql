ALTER TABLE notifications ALTER CONSTRAINT notifications_post_id_fkey NOT DEFERRABLE;
