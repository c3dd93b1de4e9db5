/**
 * Readers of libpg-query's parse tree (its JSON form) that more than one analysis needs: the SQL
 * recogniser and the readers of particular statement shapes (dedupes).
 */
export type JsonNode = Record<string, unknown>;

/** A column reference's names (`["doc", "id"]`, `["documentId"]`), or undefined for anything else. */
export function columnPath(node: JsonNode | undefined): string[] | undefined {
  const fields = (node?.ColumnRef as JsonNode | undefined)?.fields as JsonNode[] | undefined;
  const names = fields?.map((f) => (f.String as JsonNode | undefined)?.sval as string | undefined);
  return names && names.every((n): n is string => n !== undefined) ? names : undefined;
}

/** An operator expression's operator (`=`, `<`). */
export function operatorName(expr: JsonNode): string | undefined {
  return (((expr.name as JsonNode[] | undefined) ?? [])[0]?.String as JsonNode | undefined)?.sval as string | undefined;
}
