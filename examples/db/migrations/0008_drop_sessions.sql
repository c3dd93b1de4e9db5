-- forward-fix:
--   risk: users are logged out once; nothing else reads sessions since release 4.2
--   fix: 0009 re-creates sessions from 0003's definition if the old login flow has to come back
--   runbook: https://wiki.example.com/runbooks/sessions-table
SET lock_timeout = '5s';
DROP TABLE sessions;
