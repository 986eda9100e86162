/**
 * The curated write as SQL, generated from a domain's contract: a run's batch (the latest valid
 * version of each primary key, lib/etl-sql.ts) merged into the domain's Apache Iceberg (format v2)
 * table with `MERGE INTO` on the primary key, under a bounded target predicate (only the event-day
 * partitions the batch touches). The Glue job runs these statements with `spark.sql` against the
 * table in the Glue catalog; the tests run the very same text on DuckDB.
 *
 * Rules of the merge (one row per key in the table):
 * - newer event wins, strictly: a batch row replaces the table's row of its key only when its event
 *   is later; a NULL event time is older than any; at an equal event the table keeps its row, so
 *   running the same batch again changes nothing (a MERGE that committed while the run's DynamoDB
 *   commit did not is safe to repeat: docs/run-integrity.md);
 * - where the domain declares an operation column, a batch row whose operation is one of the delete
 *   values deletes its key when it is not older than the table's row (equal included); a delete of
 *   a key the table lacks inserts nothing. A delete leaves no tombstone: a version older than the
 *   delete arriving in a later run brings the key back (as in the warehouse);
 * - a row lands in the partition of its own event day (`days(<event time>)`), not its arrival day.
 *
 * The bounded predicate: Iceberg prunes the target's files with the `ON` clause's conditions on the
 * target alone (the `WHEN` conditions are applied after the join and prune nothing,
 * https://github.com/apache/iceberg/issues/3607), and a condition on the event-time column itself
 * projects onto the hidden `days()` partitions (https://iceberg.apache.org/docs/1.7.1/partitioning/).
 * The days are those of the batch's events plus those where the batch's keys live in the table now
 * ({@link IcebergMergeSql.touchedDays}): a new version whose previous one lies in an older day
 * must still match it, or the key would be inserted twice.
 *
 * Placeholders, substituted by one rule ({@link renderMerge}, and `render_merge` in
 * components/etl/scripts/raw_to_curated.py, which a test holds to the same output):
 * - `{{target}}`: the target table (`glue_catalog.<database>.<table>` in the job);
 * - `{{target_days}}`: the touched days as a predicate over the target's event time: for each day
 *   `D` (`YYYY-MM-DD`, ascending) the {@link IcebergMergeSql.targetDay} template with `{{day}}` =
 *   `D` and `{{next_day}}` = the day after, then {@link IcebergMergeSql.targetNullDay} when a
 *   touched day is NULL (rows without an event time), joined with ` OR `; `FALSE` for no day.
 *
 * Dialect: as lib/etl-sql.ts (Spark SQL 3.5 on Glue 5.0 with Iceberg 1.7.1, and DuckDB), plus
 * `MERGE INTO … USING <view> ON … WHEN [NOT] MATCHED AND … THEN …` with explicit column lists
 * (DuckDB has no `UPDATE SET *`), unqualified assignment targets, and `TIMESTAMP 'YYYY-MM-DD
 * HH:MM:SS'` literals, which Spark reads in the session time zone: the job sets it to UTC, the
 * zone of Iceberg's `days()` transform.
 */
import { type ContractDomain, SOURCE_VIEW, sqlType, transformSql } from "./etl-sql";

/** A domain's operation column: a row whose value is one of `deleteValues` deletes its key. */
export interface OperationColumn {
    /** A declared string column. */
    column: string;
    /** Values meaning "delete this key" (compared as written, case-sensitive). */
    deleteValues: string[];
}

/** What the merge needs to know of a domain beyond its contract. */
export interface MergeDomain extends ContractDomain {
    /**
     * The domain's operation column.
     * @default none: the domain never deletes
     */
    operation?: OperationColumn;
    /**
     * Buckets of the first primary-key column in the table's partition spec (lib/iceberg-table.ts),
     * for a domain whose keys are hot (integer, 2–1024): a day's rows spread over this many
     * partitions, which Iceberg's hash write distribution gives to as many writers. The MERGE's
     * bound stays on the event days (a bucket is not a predicate both engines can state).
     * @default none: partitioned by event day only
     */
    hotKeyBuckets?: number;
}

/** Name of the view the job registers the batch under; the day lookup and the MERGE read it. */
export const BATCH_VIEW = "batch_rows";
/** Alias of the target table in the generated statements. */
export const TARGET_ALIAS = "t";
/** Alias of the batch in the MERGE. */
export const SOURCE_ALIAS = "s";
/** Column of the {@link IcebergMergeSql.touchedDays} rows: a DATE, NULL for rows without an event time. */
export const EVENT_DAY_COLUMN = "event_day";
/** Placeholder of the target table. */
export const TARGET_PLACEHOLDER = "{{target}}";
/** Placeholder of the touched days' predicate. */
export const TARGET_DAYS_PLACEHOLDER = "{{target_days}}";
/** Placeholders of {@link IcebergMergeSql.targetDay}. */
export const DAY_PLACEHOLDER = "{{day}}";
export const NEXT_DAY_PLACEHOLDER = "{{next_day}}";

/** The statements of a domain's curated write. */
export interface IcebergMergeSql {
    /** The view the batch must be registered as. */
    batchView: string;
    /**
     * The run's batch, over lib/etl-sql.ts SOURCE_VIEW: of the valid rows, the latest version of
     * each primary key, its declared columns typed and in declared order (the operation column
     * with them, so deletes flow to the table and the warehouse). Also the run's change set.
     */
    batch: string;
    /**
     * The event days the MERGE must touch, over {@link BATCH_VIEW} and `{{target}}`: the batch's
     * own, and those where the batch's keys live in the table now; one row per day,
     * {@link EVENT_DAY_COLUMN}, ascending, NULL first.
     */
    touchedDays: string;
    /** The MERGE of {@link BATCH_VIEW} into `{{target}}`, bounded by `{{target_days}}`. */
    merge: string;
    /** One touched day's predicate over the target's event time, with `{{day}}` and `{{next_day}}`. */
    targetDay: string;
    /** The predicate of the target's rows without an event time. */
    targetNullDay: string;
    /**
     * The declared columns, in order, with their SQL types: before its MERGE the job adds to the
     * table (`ALTER TABLE … ADD COLUMNS`) a declared column the table lacks, so a contract's new
     * column reaches the table without replacing it (a replaced table loses its snapshots).
     */
    columns: { name: string; type: string }[];
}

const sqlString = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Refuses what the merge cannot be generated for, naming the key and the value. */
function validate(domain: MergeDomain): void {
    if (domain.operation) {
        const column = domain.columns.find((c) => c.name === domain.operation?.column);
        if (column?.type.trim().toLowerCase() !== "string") {
            throw new Error(`operation.column: got ${domain.operation.column}; expected a declared string column of ${domain.name}`);
        }
        if (domain.primaryKey.includes(column.name)) throw new Error(`operation.column: got ${column.name}; a primary-key column cannot be the operation column`);
        if (domain.operation.deleteValues.length === 0) throw new Error(`operation.deleteValues: got []; expected at least one value`);
    }
    const buckets = domain.hotKeyBuckets;
    if (buckets !== undefined && (!Number.isInteger(buckets) || buckets < 2 || buckets > 1024)) {
        throw new Error(`hotKeyBuckets: got ${buckets}; expected an integer from 2 to 1024`);
    }
}

/** Whether a batch row (`alias`) deletes its key: never NULL, so `NOT` of it is a real negation. */
export function deletesExpression(operation: OperationColumn, alias: string): string {
    return `COALESCE(${alias}.${operation.column} IN (${operation.deleteValues.map(sqlString).join(", ")}), FALSE)`;
}

/** The statements of a domain's merge into its Iceberg table. */
export function icebergMergeSql(domain: MergeDomain): IcebergMergeSql {
    validate(domain);
    const t = TARGET_ALIAS;
    const s = SOURCE_ALIAS;
    const ev = domain.eventTime;
    const keyMatch = domain.primaryKey.map((k) => `${t}.${k} = ${s}.${k}`).join(" AND ");
    const columns = domain.columns.map((c) => c.name);
    const batch = transformSql(domain).curated;

    const touchedDays = [
        `SELECT DISTINCT ${EVENT_DAY_COLUMN} FROM (`,
        `SELECT CAST(${ev} AS DATE) AS ${EVENT_DAY_COLUMN} FROM ${BATCH_VIEW}`,
        "UNION ALL",
        `SELECT CAST(${t}.${ev} AS DATE) AS ${EVENT_DAY_COLUMN} FROM ${TARGET_PLACEHOLDER} AS ${t} INNER JOIN ${BATCH_VIEW} AS ${s} ON ${keyMatch}`,
        `) AS days ORDER BY ${EVENT_DAY_COLUMN} ASC NULLS FIRST`,
    ].join(" ");

    // Strictly newer: a NULL event is older than any, two NULLs are equal.
    const newer = `(${s}.${ev} > ${t}.${ev} OR (${t}.${ev} IS NULL AND ${s}.${ev} IS NOT NULL))`;
    const notOlder = `(${s}.${ev} >= ${t}.${ev} OR ${t}.${ev} IS NULL)`;
    const deletes = domain.operation ? deletesExpression(domain.operation, s) : undefined;
    const updated = columns.filter((c) => !domain.primaryKey.includes(c));
    const clauses = [
        ...(deletes ? [`WHEN MATCHED AND ${deletes} AND ${notOlder} THEN DELETE`] : []),
        ...(updated.length > 0 ? [`WHEN MATCHED AND ${deletes ? `NOT ${deletes} AND ` : ""}${newer} THEN UPDATE SET ${updated.map((c) => `${c} = ${s}.${c}`).join(", ")}`] : []),
        `WHEN NOT MATCHED${deletes ? ` AND NOT ${deletes}` : ""} THEN INSERT (${columns.join(", ")}) VALUES (${columns.map((c) => `${s}.${c}`).join(", ")})`,
    ];
    const merge = [`MERGE INTO ${TARGET_PLACEHOLDER} AS ${t} USING ${BATCH_VIEW} AS ${s}`, `ON ${keyMatch} AND (${TARGET_DAYS_PLACEHOLDER})`, ...clauses].join(" ");

    return {
        batchView: BATCH_VIEW,
        batch,
        touchedDays,
        merge,
        targetDay: `(${t}.${ev} >= TIMESTAMP '${DAY_PLACEHOLDER} 00:00:00' AND ${t}.${ev} < TIMESTAMP '${NEXT_DAY_PLACEHOLDER} 00:00:00')`,
        targetNullDay: `${t}.${ev} IS NULL`,
        columns: domain.columns.map((c) => ({ name: c.name, type: sqlType(c.type) })),
    };
}

/** The day after a `YYYY-MM-DD` day. */
function nextDay(day: string): string {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`a touched day must be YYYY-MM-DD, not ${day}`);
    const next = new Date(`${day}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    return next.toISOString().slice(0, 10);
}

/** `{{target_days}}` for the given days (`YYYY-MM-DD`, NULL for rows without an event time). */
export function targetDaysPredicate(sql: Pick<IcebergMergeSql, "targetDay" | "targetNullDay">, days: (string | null)[]): string {
    const dated = [...new Set(days.filter((d): d is string => d !== null))].sort();
    const parts = dated.map((d) => sql.targetDay.split(DAY_PLACEHOLDER).join(d).split(NEXT_DAY_PLACEHOLDER).join(nextDay(d)));
    if (days.includes(null)) parts.push(sql.targetNullDay);
    return parts.length > 0 ? parts.join(" OR ") : "FALSE";
}

/** A statement with `{{target}}` (and `{{target_days}}`, given the touched days) substituted. */
export function renderMerge(statement: string, sql: Pick<IcebergMergeSql, "targetDay" | "targetNullDay">, target: string, days: (string | null)[] = []): string {
    return statement.split(TARGET_PLACEHOLDER).join(target).split(TARGET_DAYS_PLACEHOLDER).join(targetDaysPredicate(sql, days));
}

export { SOURCE_VIEW };
