DROP TABLE notifications;
DROP TYPE notification_kind;
DROP TABLE community_watches;
DROP TABLE thread_watches;
