DROP INDEX refresh_tokens_user;
ALTER TABLE refresh_tokens DROP COLUMN remember;
ALTER TABLE refresh_tokens DROP COLUMN device;
