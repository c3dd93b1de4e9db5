// Application code that still reads the column 0009 renames.
export async function customerName(db: { query(sql: string, params: unknown[]): Promise<{ rows: { name: string }[] }> }, id: number): Promise<string> {
  const result = await db.query('SELECT name FROM customers WHERE id = $1', [id]);
  return result.rows[0].name;
}
