DROP TABLE audit_log;
DROP TABLE rate_limit_windows;
DROP TABLE sessions;
DROP TABLE users;
DROP TYPE user_role;
