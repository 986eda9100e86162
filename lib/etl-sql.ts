/**
 * The raw → curated transformation as SQL, generated from a domain's declared contract (columns
 * with their types, nullability and bounds, the primary key, the event-time column) and its
 * partition layout (lib/layout.ts). The Glue job runs these statements with `spark.sql` over a
 * temporary view of the raw frame; the tests run the very same text on DuckDB over Parquet files in
 * the raw layout. The Data Quality ruleset attached to the curated table is rendered from the same
 * rules ({@link qualityRuleset}), so the row-level split and the published evaluation cannot drift.
 *
 * Dialect: only what Spark SQL (3.3+, Glue 4.0 and 5.0, ANSI mode off) and DuckDB both read the same
 * way: unquoted identifiers (backticks are Spark-only, and Spark reads double quotes as a string
 * unless ANSI mode is on), which the column-name rule of config/schema.ts makes safe together with
 * {@link isReservedWord}; `TRY_CAST`, `concat_ws`, `ROW_NUMBER() OVER (…)`, explicit `NULLS LAST`
 * (the engines' defaults differ), and aliased subqueries.
 */
import { type LayoutDomain, partitionKeys } from "./layout";
import { warehouseDomain } from "./warehouse-sql";

/** A column of a domain's contract, as declared in the stack configuration. */
export interface ContractColumn {
    /** Column name (lowercase letters, digits and underscores, config/schema.ts). */
    name: string;
    /** Glue (Hive) type: `string`, `int`, `bigint`, `double`, `boolean`, `timestamp`, `date`, `decimal(p,s)`. */
    type: string;
    /**
     * Whether a row may lack a value.
     * @default true
     */
    nullable?: boolean;
    /**
     * Inclusive lower bound of the column's values.
     * @default no lower bound
     */
    min?: number;
    /**
     * Inclusive upper bound of the column's values.
     * @default no upper bound
     */
    max?: number;
}

/** What the transformation needs to know of a domain. */
export interface ContractDomain extends LayoutDomain {
    /** Declared columns, in declared order (the curated files and the warehouse table keep it). */
    columns: ContractColumn[];
    /** Columns identifying a row: one curated row per key. */
    primaryKey: string[];
    /** The event-time column: of two versions of a row, the later event wins. */
    eventTime: string;
}

/**
 * A declared domain's contract: its columns and key as declared, and the event-time column the
 * warehouse load orders versions by (so the job and the load agree on which version is latest).
 */
export function etlContract(domain: Omit<ContractDomain, "eventTime">): ContractDomain {
    return { name: domain.name, partitionKey: domain.partitionKey, columns: domain.columns, primaryKey: domain.primaryKey, eventTime: warehouseDomain(domain).eventTime };
}

/** Name of the temporary view the job registers the raw frame under; every statement reads it. */
export const SOURCE_VIEW = "raw_rows";
/** Column of a quarantined row listing the rules it fails (`; `-separated). */
export const FAILED_RULES_COLUMN = "_failed_rules";
/** Column the job adds to quarantined rows: the Glue run that set them aside. */
export const RUN_ID_COLUMN = "_run_id";
// Internal columns start with `_`, which no declared column can (config/schema.ts), so they never collide.
const VERSION_COLUMN = "_version";
const CHECKED = "checked";

/**
 * Words neither engine accepts as an unquoted column name: Spark SQL's reserved keywords (ANSI
 * mode) and strict-non-reserved ones (default mode), from
 * https://spark.apache.org/docs/3.5.4/sql-ref-ansi-compliance.html#sql-keywords-optional-disabled-by-default,
 * and DuckDB's `reserved` and `type_function` keywords (`SELECT * FROM duckdb_keywords()`; the
 * tests check this list still covers the DuckDB they run).
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
    // Spark SQL, reserved in ANSI mode.
    ..."all and any as authorization both case cast check collate column constraint create cross current_date current_time current_timestamp current_user distinct else end escape except false fetch filter for foreign from full grant group having in inner intersect into is join lateral leading left natural not null on only or order outer overlaps percentile_cont percentile_disc primary references right select session_user some table then time to trailing union unique unknown user using when where with within".split(
        " ",
    ),
    // Spark SQL, strict-non-reserved in default mode (those not above).
    ..."anti minus semi".split(" "),
    // DuckDB, reserved.
    ..."analyse analyze array asc asymmetric default deferrable desc describe do initially lambda limit offset pivot pivot_longer pivot_wider placing qualify returning show summarize symmetric true unpivot variadic window".split(
        " ",
    ),
    // DuckDB, type_function (usable as a function or type name, not as a column).
    ..."asof at binary by collation columns concurrently freeze generated glob ilike isnull like map notnull positional similar struct tablesample try_cast unpack verbose".split(
        " ",
    ),
]);

/** Whether a name cannot be used unquoted as a column in Spark SQL or DuckDB. */
export function isReservedWord(name: string): boolean {
    return RESERVED_WORDS.has(name.toLowerCase());
}

/** The SQL type (read alike by Spark SQL and DuckDB) of a declared Glue column type. */
export function sqlType(glueType: string): string {
    const type = glueType.trim().toLowerCase();
    const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(type);
    if (decimal) return `DECIMAL(${decimal[1]},${decimal[2]})`;
    const known: Record<string, string> = { string: "STRING", int: "INT", bigint: "BIGINT", double: "DOUBLE", boolean: "BOOLEAN", timestamp: "TIMESTAMP", date: "DATE" };
    const sql = known[type];
    if (!sql) throw new Error(`no SQL type for the column type ${glueType}`);
    return sql;
}

/** A rule of a domain's contract, in the two forms it is enforced in. */
export interface ContractRule {
    /** `row` rules split each row off on its own; `dataset` rules judge a run's curated output as a whole. */
    scope: "row" | "dataset";
    /**
     * The rule in DQDL, as the curated table's ruleset states it.
     * @default none: the rule only exists before the values are typed (a raw value that is not of its column's type)
     */
    dqdl?: string;
    /**
     * For row rules: a predicate over the raw row ({@link SOURCE_VIEW}) that is true, never NULL,
     * when the row passes.
     * @default none (dataset rules)
     */
    passes?: string;
    /** What a quarantined row's {@link FAILED_RULES_COLUMN} says when it fails the rule. */
    label: string;
}

/** A raw column's value as its declared type: NULL when absent or not of that type. */
export function typedValue(column: ContractColumn): string {
    return `TRY_CAST(${column.name} AS ${sqlType(column.type)})`;
}

/** A number as a literal both engines and DQDL read (integers written out in full rather than as `1e+21`). */
function numberLiteral(value: number): string {
    if (!Number.isFinite(value)) throw new Error(`a bound must be a finite number, not ${value}`);
    return Number.isInteger(value) && Math.abs(value) < 1e21 ? BigInt(value).toString() : String(value);
}

/** Columns a row cannot lack: the declared non-nullable ones and every primary-key column. */
function requiredColumns(domain: Pick<ContractDomain, "columns" | "primaryKey">): ContractColumn[] {
    return domain.columns.filter((c) => c.nullable === false || domain.primaryKey.includes(c.name));
}

/**
 * The domain's contract as rules, in ruleset order: every value is of its column's type; required
 * columns (non-nullable or in the primary key) are complete; the key is unique; values lie within
 * their declared bounds; a run writes something. A bound does not judge a missing value (DQDL's
 * `ColumnValues` would fail NULL rows, so the rule says `OR … = NULL`): completeness does.
 */
export function contractRules(domain: Pick<ContractDomain, "columns" | "primaryKey">): ContractRule[] {
    const rules: ContractRule[] = [];
    for (const column of domain.columns) {
        // Every value casts to a string: a string column has no type rule.
        if (sqlType(column.type) === "STRING") continue;
        rules.push({ scope: "row", passes: `(${column.name} IS NULL OR ${typedValue(column)} IS NOT NULL)`, label: `${column.name} is not a ${column.type}` });
    }
    for (const column of requiredColumns(domain)) {
        rules.push({ scope: "row", dqdl: `IsComplete "${column.name}"`, passes: `${column.name} IS NOT NULL`, label: `IsComplete "${column.name}"` });
    }
    const key = domain.primaryKey.length === 1 ? `IsUnique "${domain.primaryKey[0]}"` : `IsPrimaryKey ${domain.primaryKey.map((k) => `"${k}"`).join(" ")}`;
    rules.push({ scope: "dataset", dqdl: key, label: key });
    for (const column of domain.columns) {
        for (const [bound, operator] of [
            [column.min, ">="],
            [column.max, "<="],
        ] as const) {
            if (bound === undefined) continue;
            const literal = numberLiteral(bound);
            // Two inclusive bounds rather than DQDL's `between`, whose bounds are exclusive. ColumnValues
            // fails NULL rows, and a composite `(… >= 0) OR (… = NULL)` would be judged column by column
            // (each half over the whole column) and fail any batch mixing NULLs and values; a where
            // clause leaves NULLs out of the rule instead
            // (https://docs.aws.amazon.com/glue/latest/dg/dqdl.html, "How composite rules work" and
            // "Filtering with Where Clause").
            const dqdl = `ColumnValues "${column.name}" ${operator} ${literal} where "${column.name} is not null"`;
            rules.push({ scope: "row", dqdl, passes: `(${typedValue(column)} IS NULL OR ${typedValue(column)} ${operator} ${literal})`, label: `ColumnValues "${column.name}" ${operator} ${literal}` });
        }
    }
    rules.push({ scope: "dataset", dqdl: "RowCount > 0", label: "RowCount > 0" });
    return rules;
}

/** The DQDL ruleset of a domain's curated table: the {@link contractRules} DQDL can state. */
export function qualityRuleset(domain: Pick<ContractDomain, "columns" | "primaryKey">): string {
    const rules = contractRules(domain).flatMap((r) => (r.dqdl ? [r.dqdl] : []));
    return `Rules = [\n    ${rules.join(",\n    ")}\n]`;
}

/**
 * The `; `-separated labels of the row rules a raw row fails, `''` when it passes them all
 * (`concat_ws` skips the NULL of every rule that passes, in both engines).
 */
export function failedRulesExpression(domain: Pick<ContractDomain, "columns" | "primaryKey">): string {
    const cases = contractRules(domain)
        .filter((r) => r.scope === "row")
        .map((r) => `CASE WHEN NOT ${r.passes} THEN '${r.label.replace(/'/g, "''")}' END`);
    return `concat_ws('; ', ${cases.join(", ")})`;
}

/**
 * The columns of a curated row, in order: the declared columns in declared order, as the domain's
 * Iceberg table holds them (lib/iceberg-merge-sql.ts), which is also the order the warehouse's
 * Parquet COPY of a run's change set maps by position. No arrival-time column: a row lies in the
 * partition of its event day, which the table derives from the event time.
 */
export function curatedColumns(domain: ContractDomain): string[] {
    return domain.columns.map((c) => c.name);
}

/** The raw partition levels that are not declared columns: the arrival time (year … hour). */
function arrivalKeys(domain: ContractDomain): string[] {
    const declared = new Set(domain.columns.map((c) => c.name));
    return partitionKeys(domain, "raw").filter((k) => !declared.has(k));
}

/**
 * Order of a key's versions, latest first: the later event; a version without an event time is
 * older than any version with one (as in the warehouse load, where a missing time is the
 * earliest); then the later arrival (zero-padded partition values sort as strings); then every
 * other column, so that even identical event and arrival times pick the same row on every run.
 */
function latestFirst(domain: ContractDomain): string {
    const rest = domain.columns.filter((c) => c.name !== domain.eventTime && !domain.primaryKey.includes(c.name));
    return [`${domain.eventTime} DESC NULLS LAST`, ...arrivalKeys(domain).map((k) => `${k} DESC NULLS LAST`), ...rest.map((c) => `${c.name} ASC NULLS LAST`)].join(", ");
}

/** The statements the job runs, over {@link SOURCE_VIEW}. */
export interface TransformSql {
    /** The view the raw frame must be registered as. */
    sourceView: string;
    /**
     * The run's batch: of the rows passing every row rule, the latest version of each primary
     * key, typed as declared, in {@link curatedColumns} order (the job merges it into the domain's
     * Iceberg table, lib/iceberg-merge-sql.ts, and writes it as the run's change set).
     */
    curated: string;
    /**
     * The quarantined rows: every row failing a row rule, whatever its version, its declared
     * columns as text (a value that is not of its type is kept as it came), the curated partition
     * keys, and the rules it fails.
     */
    quarantine: string;
    /**
     * One row of the run's reconciliation counts over the same statements: `raw_in` (rows read),
     * `curated`, `quarantined`, `duplicates` (valid rows that are not the kept version of their
     * key) and `mismatch` = raw_in − (curated + quarantined + duplicates), 0 when every row read is
     * accounted for (lib/run-integrity.ts RECONCILIATION_METRICS).
     */
    reconciliation: string;
}

/**
 * The raw → curated transformation of a domain. Rows failing the contract are split off before
 * deduplication: every bad record is evidence of a producer defect, so each one is quarantined,
 * and the curated zone carries the latest *valid* version of a key — the same row the warehouse
 * would hold had the versions arrived in separate runs (it keeps the later event of a key across
 * runs), so the outcome does not depend on how arrivals fall into runs. A row without a complete
 * key is never deduplicated (NULL keys would collapse into one); the key rules quarantine it.
 * The arrival time only orders versions: the batch holds the declared columns alone.
 */
export function transformSql(domain: ContractDomain): TransformSql {
    const failed = failedRulesExpression(domain);
    const arrival = arrivalKeys(domain);
    const curatedKeys = partitionKeys(domain, "curated");
    const typed = domain.columns.map((c) => `${typedValue(c)} AS ${c.name}`);
    const checked = `SELECT ${[...typed, ...arrival, FAILED_RULES_COLUMN].join(", ")} FROM (SELECT *, ${failed} AS ${FAILED_RULES_COLUMN} FROM ${SOURCE_VIEW}) AS assessed`;
    const selected = curatedColumns(domain).join(", ");
    const versions = `SELECT ${selected}, ROW_NUMBER() OVER (PARTITION BY ${domain.primaryKey.join(", ")} ORDER BY ${latestFirst(domain)}) AS ${VERSION_COLUMN} FROM (${checked}) AS ${CHECKED} WHERE ${FAILED_RULES_COLUMN} = ''`;
    const asText = domain.columns.map((c) => `CAST(${c.name} AS STRING) AS ${c.name}`);
    const curated = `SELECT ${selected} FROM (${versions}) AS versions WHERE ${VERSION_COLUMN} = 1`;
    const quarantine = `SELECT ${[...asText, ...curatedKeys, FAILED_RULES_COLUMN].join(", ")} FROM (SELECT *, ${failed} AS ${FAILED_RULES_COLUMN} FROM ${SOURCE_VIEW}) AS assessed WHERE ${FAILED_RULES_COLUMN} <> ''`;
    // Each count from the statement that produces the rows (scalar subqueries, which both engines read alike):
    // a row the split lost or counted twice shows as a mismatch.
    const counts = [
        `(SELECT COUNT(*) FROM ${SOURCE_VIEW}) AS raw_in`,
        `(SELECT COUNT(*) FROM (${curated}) AS curated_rows) AS curated`,
        `(SELECT COUNT(*) FROM (${quarantine}) AS quarantined_rows) AS quarantined`,
        `(SELECT COUNT(*) FROM (${versions}) AS valid_rows) AS valid`,
    ].join(", ");
    const reconciliation = `SELECT raw_in, curated, quarantined, valid - curated AS duplicates, raw_in - (curated + quarantined + (valid - curated)) AS mismatch FROM (SELECT ${counts}) AS counts`;
    return { sourceView: SOURCE_VIEW, curated, quarantine, reconciliation };
}
