SET lock_timeout = '5s';
ALTER TABLE customers RENAME COLUMN name TO display_name;
