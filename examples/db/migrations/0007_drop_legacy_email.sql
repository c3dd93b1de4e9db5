-- Drops a column that the application no longer needs... or does it?
SET lock_timeout = '5s';
ALTER TABLE users DROP COLUMN legacy_email;
