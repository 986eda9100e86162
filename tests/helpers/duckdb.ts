import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";

/** A fresh in-memory DuckDB database and a connection to it. */
export async function openDuckDb(): Promise<DuckDBConnection> {
    const instance = await DuckDBInstance.create(":memory:");
    return instance.connect();
}

/** The rows a statement returns, as JSON-friendly objects (timestamps and decimals as text). */
export async function query(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
}

/** A SQL string literal. */
export function literal(text: string): string {
    return `'${text.replace(/'/g, "''")}'`;
}
