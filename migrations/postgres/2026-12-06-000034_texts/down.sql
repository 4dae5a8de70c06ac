DROP TABLE sign_in_codes;
DROP TABLE texts_stopped;
ALTER TABLE outbox DROP COLUMN delivery_at;
ALTER TABLE outbox DROP COLUMN delivery;
DROP INDEX users_phone_e164;
ALTER TABLE users DROP COLUMN phone_e164;
