-- SYNTAX TEST "source.sql" "DeployRisk directives in SQL comments"

-- deployrisk-ignore migration/destructive-without-plan: table unused since March
-- ^^^^^^^^^^^^^^^^^ keyword.other.directive.suppress.deployrisk
--                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ constant.other.rule-id.deployrisk
--                                                     ^ punctuation.separator.key-value.deployrisk
--                                                       ^^^^^^^^^^^^^^^^^^^^^^^^^ string.unquoted.reason.deployrisk
DROP TABLE legacy_sessions; -- deployrisk-ignore-file secret/*, migration/x: fixture
--                             ^^^^^^^^^^^^^^^^^^^^^^ keyword.other.directive.suppress.deployrisk
--                                                    ^^^^^^^^ constant.other.rule-id.deployrisk
--                                                            ^ punctuation.separator.comma.deployrisk
-- forward-fix:
-- ^^^^^^^^^^^ keyword.other.directive.forward-fix.deployrisk
--   risk: old app versions still read legacy_sessions
--   ^^^^ variable.other.key.forward-fix.deployrisk
--   runbook: https://wiki.example.com/runbooks/sessions
--   ^^^^^^^ variable.other.key.forward-fix.deployrisk
--            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ markup.underline.link.deployrisk
SELECT 'deployrisk-ignore secret/private-key: not a comment';
--      ^^^^^^^^^^^^^^^^^ - keyword.other.directive.suppress.deployrisk
-- we will fix: this later, deployrisk-ignored is not a directive
--         ^^^ - variable.other.key.forward-fix.deployrisk
--                          ^^^^^^^^^^^^^^^^^ - keyword.other.directive.suppress.deployrisk
/* deployrisk-ignore secret/private-key: in a block comment */
-- ^^^^^^^^^^^^^^^^^ keyword.other.directive.suppress.deployrisk
--                                       ^^^^^^^^^^^^^^^^^^ string.unquoted.reason.deployrisk
--                                                          ^^ - string.unquoted.reason.deployrisk
