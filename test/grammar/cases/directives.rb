# SYNTAX TEST "source.ruby" "DeployRisk directives in Ruby comments"
# deployrisk-ignore migration/*: data migration reviewed by DBA
# ^^^^^^^^^^^^^^^^^ keyword.other.directive.suppress.deployrisk
#                   ^^^^^^^^^^^ constant.other.rule-id.deployrisk
remove_column :users, :legacy # deployrisk-ignore migration/destructive-without-plan: unused
#                               ^^^^^^^^^^^^^^^^^ keyword.other.directive.suppress.deployrisk
