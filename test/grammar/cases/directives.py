# SYNTAX TEST "source.python" "DeployRisk directives in Python comments"
# forward-fix:
# ^^^^^^^^^^^ keyword.other.directive.forward-fix.deployrisk
#   fix: add the column back as nullable in a new migration
#   ^^^ variable.other.key.forward-fix.deployrisk
#      ^ punctuation.separator.key-value.deployrisk
op.drop_column("users", "legacy")  # deployrisk-ignore migration/destructive-without-plan: empty column
#                                    ^^^^^^^^^^^^^^^^^ keyword.other.directive.suppress.deployrisk
x = "# deployrisk-ignore secret/private-key: no"
#      ^^^^^^^^^^^^^^^^^ - keyword.other.directive.suppress.deployrisk
