DROP INDEX IF EXISTS audit_log_reveals_idx;
DROP INDEX IF EXISTS users_handle_idx;
DROP TABLE IF EXISTS drafts;
DROP TYPE IF EXISTS draft_place;
