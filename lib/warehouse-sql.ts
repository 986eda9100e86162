/**
 * The warehouse's SQL, generated from each domain's declared columns: the schema and target tables
 * (with distribution and sort keys), the loader identity and its grants, and the per-run load that
 * stages a run's change set, deletes the rows it replaces or deletes by primary key and inserts
 * the rest, in one transaction. Pure functions. What only Redshift reads (distribution and sort keys, the stage's
 * `LIKE`, the COPY of a manifest with an IAM role, the loader's identity) is in one place,
 * {@link REDSHIFT}; the tests run everything else on a real engine by handing the statements
 * another {@link WarehouseDialect}.
 */

/** Schema the curated domains are loaded into. */
export const WAREHOUSE_SCHEMA = "lake";
/** The database identity the load runs as (a user on a cluster, a role on Serverless). */
export const LOADER = "etl_loader";

/** What the SQL needs to know of a domain. */
export interface WarehouseDomain {
    name: string;
    columns: { name: string; type: string; nullable?: boolean }[];
    primaryKey: string[];
    /** Column rows are distributed by (a join key). */
    distKey: string;
    /** Columns rows are sorted by (event time first). */
    sortKeys: string[];
    /** The event-time column: of two versions of a row, the later event wins. */
    eventTime: string;
}

/** A domain as declared (columns, keys, optional warehouse layout). */
export interface DeclaredDomain {
    name: string;
    columns: { name: string; type: string; nullable?: boolean }[];
    primaryKey: string[];
    warehouse?: { distKey?: string; sortKeys?: string[] };
}

/**
 * A declared domain's warehouse table: rows distributed by the declared join key (default: the
 * first primary-key column) and sorted by the declared columns (default: the event-time column).
 */
export function warehouseDomain(domain: DeclaredDomain): WarehouseDomain {
    const eventTime = domain.columns.find((c) => c.type === "timestamp")?.name;
    return {
        name: domain.name,
        columns: domain.columns,
        primaryKey: domain.primaryKey,
        distKey: domain.warehouse?.distKey ?? domain.primaryKey[0],
        sortKeys: domain.warehouse?.sortKeys ?? (eventTime ? [eventTime] : domain.primaryKey),
        // The schema requires a timestamp column; a domain without one cannot be declared.
        eventTime: eventTime ?? domain.primaryKey[0],
    };
}

/** Which warehouse flavour: identities differ (a user on a cluster, a database role on Serverless). */
export type WarehouseKind = "cluster" | "serverless";

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** What the generated statements need of the engine beyond portable SQL. */
export interface WarehouseDialect {
    /** What follows a table's column list: Redshift's distribution and sort keys. */
    tableAttributes(domain: WarehouseDomain): string;
    /** Creates a session's empty table shaped like the target. */
    createStage(stage: string, target: string): string;
    /** Loads exactly the files a run's manifest lists into the stage, by column position. */
    copyFromManifest(stage: string, manifestUrl: string, iamRoleArn: string): string;
}

/**
 * The Redshift-only SQL of the warehouse, in one place: a table's `DISTSTYLE KEY DISTKEY (…)
 * COMPOUND SORTKEY (…)`, the stage's `(LIKE …)`, the `COPY … IAM_ROLE … FORMAT AS PARQUET MANIFEST`
 * (Parquet needs each entry's `meta.content_length`, which the ETL job writes, and maps columns by
 * position), and the loader's identity (`CREATE USER … PASSWORD DISABLE` on a cluster, whose loader
 * signs in with IAM, GetClusterCredentials; `CREATE ROLE` on Serverless, where the execution role's
 * RedshiftDbRoles tag gives it the role at sign-in).
 */
export const REDSHIFT: WarehouseDialect & { createLoader(kind: WarehouseKind): string } = {
    tableAttributes: (domain: WarehouseDomain) => `DISTSTYLE KEY DISTKEY (${quote(domain.distKey)}) COMPOUND SORTKEY (${domain.sortKeys.map(quote).join(", ")})`,
    createStage: (stage: string, target: string) => `CREATE TEMP TABLE ${stage} (LIKE ${target})`,
    copyFromManifest: (stage: string, manifestUrl: string, iamRoleArn: string) => `COPY ${stage} FROM '${manifestUrl}' IAM_ROLE '${iamRoleArn}' FORMAT AS PARQUET MANIFEST`,
    createLoader: (kind: WarehouseKind) => (kind === "cluster" ? `CREATE USER ${LOADER} PASSWORD DISABLE` : `CREATE ROLE ${LOADER}`),
};

/** The target table of a domain: `lake.<domain>`. */
export function targetTable(domain: string): string {
    return `${WAREHOUSE_SCHEMA}.${domain}`;
}

/** The session's staging table of a domain's load. */
export function stageTable(domain: string): string {
    return `stage_${domain}`;
}

/** The Redshift type of a Glue (Hive) column type. */
export function redshiftType(glueType: string): string {
    const type = glueType.trim().toLowerCase();
    const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(type);
    if (decimal) return `DECIMAL(${decimal[1]},${decimal[2]})`;
    const varchar = /^(?:var)?char\((\d+)\)$/.exec(type);
    if (varchar) return `VARCHAR(${varchar[1]})`;
    switch (type) {
        case "string":
            return "VARCHAR(65535)";
        case "tinyint":
        case "smallint":
            return "SMALLINT";
        case "int":
        case "integer":
            return "INTEGER";
        case "bigint":
            return "BIGINT";
        case "float":
            return "REAL";
        case "double":
            return "DOUBLE PRECISION";
        case "boolean":
            return "BOOLEAN";
        case "date":
            return "DATE";
        case "timestamp":
            return "TIMESTAMP";
        default:
            throw new Error(`no Redshift type for the column type ${glueType}`);
    }
}

/** DDL of the warehouse, in order; every statement can run again without harm. */
export function schemaStatements(domains: WarehouseDomain[], kind: WarehouseKind, database: string): { id: string; sql: string }[] {
    const grantee = kind === "cluster" ? LOADER : `ROLE ${LOADER}`;
    const existing = kind === "cluster" ? `pg_user WHERE usename = '${LOADER}'` : `svv_roles WHERE role_name = '${LOADER}'`;
    const create = REDSHIFT.createLoader(kind);
    return [
        { id: "schema", sql: `CREATE SCHEMA IF NOT EXISTS ${WAREHOUSE_SCHEMA}` },
        ...domains.map((d) => ({ id: `table-${d.name}`, sql: createTableSql(d) })),
        // Redshift has no CREATE USER/ROLE IF NOT EXISTS: a procedure checks the catalog first.
        {
            id: "loader-procedure",
            sql: `CREATE OR REPLACE PROCEDURE ${WAREHOUSE_SCHEMA}.ensure_loader() AS $$ DECLARE found INTEGER; BEGIN SELECT COUNT(*) INTO found FROM ${existing}; IF found = 0 THEN EXECUTE '${create}'; END IF; END; $$ LANGUAGE plpgsql`,
        },
        { id: "loader", sql: `CALL ${WAREHOUSE_SCHEMA}.ensure_loader()` },
        { id: "grant-schema", sql: `GRANT USAGE ON SCHEMA ${WAREHOUSE_SCHEMA} TO ${grantee}` },
        // The load stages each run in a temporary table.
        { id: "grant-temp", sql: `GRANT TEMP ON DATABASE ${quote(database)} TO ${grantee}` },
        // One grant per table, so a domain added later gets its own (a schema-wide grant would not cover it).
        ...domains.map((d) => ({ id: `grant-${d.name}`, sql: `GRANT SELECT, INSERT, DELETE ON ${targetTable(d.name)} TO ${grantee}` })),
    ];
}

/** `CREATE TABLE IF NOT EXISTS lake.<domain> (…)`, then the dialect's table attributes (Redshift: `DISTKEY (…) COMPOUND SORTKEY (…)`). */
export function createTableSql(domain: WarehouseDomain, dialect: WarehouseDialect = REDSHIFT): string {
    const columns = domain.columns.map((c) => `${quote(c.name)} ${redshiftType(c.type)}${c.nullable === false ? " NOT NULL" : ""}`);
    return [`CREATE TABLE IF NOT EXISTS ${targetTable(domain.name)} (${columns.join(", ")}, PRIMARY KEY (${domain.primaryKey.map(quote).join(", ")}))`, dialect.tableAttributes(domain)]
        .filter(Boolean)
        .join(" ");
}

/** The statements of a domain's load around its COPY; the COPY itself names the run's manifest. */
export interface LoadStatements {
    /** The session's staging table, shaped like the target. */
    stageTable: string;
    /** Creates the staging table (Redshift: `CREATE TEMP TABLE <stage> (LIKE <target>)`). */
    createStage: string;
    /** Deletes the target rows the staged run replaces or deletes: same primary key, an older event (a delete: no newer one). */
    deleteReplaced: string;
    /** Inserts the staged rows no target row of the same key is left for, but deletes. */
    insertStaged: string;
}

/** A domain's operation column (lib/iceberg-merge-sql.ts OperationColumn): a staged row whose value is one of `deleteValues` deletes its key. */
export interface LoadOperation {
    /** The declared column holding the operation. */
    column: string;
    /** Values meaning "delete this key". */
    deleteValues: string[];
}

/** A missing event time sorts before every real one. */
const EARLIEST = "'1970-01-01'::TIMESTAMP";

/**
 * The fixed statements of a domain's load (see {@link loadBatch}), the curated MERGE's rules
 * (lib/iceberg-merge-sql.ts) over the warehouse table: of two versions of a row (same primary key)
 * the strictly later event wins, whatever the order runs are loaded in, and at an equal event the
 * table keeps its row (as curated does: a late-arriving older version, a backfilled range or a run
 * loaded again never replaces a row); where the domain declares an operation column, a staged
 * delete removes its key when it is not older than the row, and is never inserted.
 */
export function loadStatements(domain: Pick<WarehouseDomain, "name" | "primaryKey" | "eventTime"> & { operation?: LoadOperation }, dialect: WarehouseDialect = REDSHIFT): LoadStatements {
    const stage = stageTable(domain.name);
    const target = targetTable(domain.name);
    const matches = domain.primaryKey.map((k) => `${target}.${quote(k)} = ${stage}.${quote(k)}`).join(" AND ");
    const eventOf = (table: string) => `COALESCE(${table}.${quote(domain.eventTime)}, ${EARLIEST})`;
    const op = domain.operation;
    // Never NULL, so its negation keeps rows without an operation.
    const deletes = op ? `COALESCE(${stage}.${quote(op.column)} IN (${op.deleteValues.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ")}), FALSE)` : undefined;
    const replaced = deletes ? `(${eventOf(target)} < ${eventOf(stage)} OR (${deletes} AND ${eventOf(target)} = ${eventOf(stage)}))` : `${eventOf(target)} < ${eventOf(stage)}`;
    return {
        stageTable: stage,
        createStage: dialect.createStage(stage, target),
        deleteReplaced: `DELETE FROM ${target} USING ${stage} WHERE ${matches} AND ${replaced}`,
        // After the delete, a target row left with the staged key is newer than the staged one, or as old.
        insertStaged: `INSERT INTO ${target} SELECT ${stage}.* FROM ${stage} LEFT JOIN ${target} ON ${matches} WHERE ${target}.${quote(domain.primaryKey[0])} IS NULL${deletes ? ` AND NOT ${deletes}` : ""}`,
    };
}

/** The COPY of one run into the staging table: exactly the files its manifest lists ({@link REDSHIFT}). */
export function copyFromManifest(stage: string, manifestUrl: string, iamRoleArn: string): string {
    return REDSHIFT.copyFromManifest(stage, manifestUrl, iamRoleArn);
}

/**
 * The load of one run, as the statements of one Data API batch, which Redshift runs as one
 * transaction: stage the run's change set from its manifest (the batch the job merged into the
 * curated table, deletes included), delete the target rows the run replaces or deletes, insert the
 * staged rows that are not deletes and no newer or equal row keeps out. Loading the same manifest
 * twice leaves the table as after the first load, and runs may be loaded in any order; a failure
 * anywhere rolls the whole run back.
 */
export function loadBatch(domain: Pick<WarehouseDomain, "name" | "primaryKey" | "eventTime"> & { operation?: LoadOperation }, manifestUrl: string, iamRoleArn: string, dialect: WarehouseDialect = REDSHIFT): string[] {
    const sql = loadStatements(domain, dialect);
    return [sql.createStage, dialect.copyFromManifest(sql.stageTable, manifestUrl, iamRoleArn), sql.deleteReplaced, sql.insertStaged];
}
