// SYNTAX TEST "source.ts" "DeployRisk directives in TypeScript comments"
// deployrisk-ignore flag/unguarded-feature: internal admin route, behind VPN
// ^^^^^^^^^^^^^^^^^ keyword.other.directive.suppress.deployrisk
//                   ^^^^^^^^^^^^^^^^^^^^^^ constant.other.rule-id.deployrisk
//                                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.unquoted.reason.deployrisk
app.get('/admin', handler); /* deployrisk-ignore test/missing-test: covered by e2e */
//                             ^^^^^^^^^^^^^^^^^ keyword.other.directive.suppress.deployrisk
//                                                                  ^^^^^^^^^^^^^^ string.unquoted.reason.deployrisk
const s = "// deployrisk-ignore secret/private-key: no";
//            ^^^^^^^^^^^^^^^^^ - keyword.other.directive.suppress.deployrisk
