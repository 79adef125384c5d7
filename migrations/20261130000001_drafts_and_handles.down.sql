DROP INDEX IF EXISTS users_handle_idx;
DROP TABLE IF EXISTS drafts;
DROP TYPE IF EXISTS draft_place;
