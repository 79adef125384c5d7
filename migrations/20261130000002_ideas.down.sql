DELETE FROM drafts WHERE place::text IN ('idea_comment', 'idea');
DELETE FROM notifications WHERE idea_id IS NOT NULL;
ALTER TABLE notifications
    DROP CONSTRAINT notifications_one_per_change,
    DROP CONSTRAINT notifications_one_per_comment,
    DROP CONSTRAINT notifications_subject,
    DROP COLUMN idea_change_id,
    DROP COLUMN idea_comment_id,
    DROP COLUMN idea_id,
    ALTER COLUMN thread_id SET NOT NULL,
    ALTER COLUMN post_id SET NOT NULL;
-- Enum values cannot be dropped in Postgres; the extra notification_kind and draft_place
-- values stay, unused.
DROP TABLE idea_followers;
DROP TABLE idea_status_changes;
DROP TABLE idea_comments;
DROP TRIGGER idea_votes_counts ON idea_votes;
DROP FUNCTION idea_votes_keep_counts();
DROP TABLE idea_vote_budgets;
DROP TABLE idea_votes;
DROP TABLE ideas;
DROP FUNCTION idea_trend_add(DOUBLE PRECISION, TIMESTAMPTZ);
DROP TABLE idea_settings;
DROP TYPE idea_recommendation;
DROP TYPE idea_status;
