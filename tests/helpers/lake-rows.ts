import * as fs from "node:fs";
import * as path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { parseStackConfig, readStackFile } from "../../config/loader";
import { type ContractColumn, type ContractDomain, etlContract, SOURCE_VIEW, sqlType } from "../../lib/etl-sql";
import { partitionKeys, rawPartitionLevel, storedColumns } from "../../lib/layout";
import { literal } from "./duckdb";

/**
 * Raw records in the lake's layout, for the tests that run the job's and the load's SQL on DuckDB:
 * records built from a domain's contract, written as Firehose lands them, read as the job reads them.
 */

const STACKS = ["dev", "staging", "prod"];

/** The declared domains of a stack, as config/ parses them. */
export const declaredDomains = (stack: string) => parseStackConfig(readStackFile(path.resolve(__dirname, `../../stacks/Pulumi.${stack}.yaml`))).domains;

/** When a record landed: its raw partition (Firehose's arrival time, zero-padded). */
export interface Arrival {
    year: string;
    month: string;
    day: string;
    hour: string;
}
/** A raw record: its declared columns' values as text (NULL as null), where it landed, and in which file. */
export interface RawRecord {
    values: Record<string, string | null>;
    arrival: Arrival;
    /** Records with the same file tag and partition share a file. */
    file?: string;
    /** Columns this record's file stores with another type than declared (raw that differs from the contract). */
    storedAs?: Record<string, string>;
    /** The partition level's value when Firehose routed the record elsewhere than its field's value (`_other`). */
    partitionValue?: string;
}

const pad = (n: number) => String(n).padStart(2, "0");
export const arrivedAt = (hour: number, day = 30, month = 11): Arrival => ({ year: "2026", month: pad(month), day: pad(day), hour: pad(hour) });
export const eventAt = (hour: number, minute = 0) => `2026-11-30 ${pad(hour)}:${pad(minute)}:00`;

/** A valid value of a column for record number `n`: within its bounds, of its type. */
export function validValue(column: ContractColumn, n: number): string {
    const type = sqlType(column.type);
    const low = column.min ?? 0;
    const high = column.max ?? low + 1000;
    const whole = low + (n % Math.max(1, Math.floor(high - low)));
    if (type === "STRING") return `${column.name}-${n}`;
    if (type === "INT" || type === "BIGINT") return String(Math.ceil(whole));
    if (type === "DOUBLE") return `${Math.ceil(whole)}.25`;
    if (type.startsWith("DECIMAL")) {
        const scale = Number(/,(\d+)\)/.exec(type)![1]);
        return scale > 0 ? `${Math.ceil(whole)}.${"5".padEnd(scale, "0")}` : String(Math.ceil(whole));
    }
    if (type === "BOOLEAN") return n % 2 ? "true" : "false";
    if (type === "TIMESTAMP") return eventAt(n % 24);
    if (type === "DATE") return "2026-11-30";
    throw new Error(`no test value for ${column.type}`);
}

/** The value of key column `column` for the row identified by `key`. */
export const keyValue = (column: ContractColumn, key: number) => (sqlType(column.type) === "STRING" ? `key-${key}` : validValue(column, key));

/** A valid record of `key` with its event at `eventHour` (null: no event time). */
export function record(domain: ContractDomain, key: number, eventHour: number | null, arrival: Arrival, overrides: Record<string, string | null> = {}, extra: Partial<RawRecord> = {}): RawRecord {
    const values: Record<string, string | null> = {};
    for (const column of domain.columns) {
        if (domain.primaryKey.includes(column.name)) values[column.name] = keyValue(column, key);
        else if (column.name === domain.eventTime) values[column.name] = eventHour === null ? null : eventAt(eventHour);
        else values[column.name] = validValue(column, key);
    }
    return { values: { ...values, ...overrides }, arrival, ...extra };
}

/** The raw layout's path of a record's partition, e.g. `clickstream/event_type_partition=click/year=2026/…/hour=07/`. */
function partitionPath(domain: ContractDomain, r: RawRecord): string {
    const level = domain.partitionKey ? rawPartitionLevel(domain.partitionKey) : undefined;
    const value = (k: string) => (k in r.arrival ? r.arrival[k as keyof Arrival] : k === level ? (r.partitionValue ?? r.values[domain.partitionKey!]) : r.values[k]);
    return `${domain.name}/${partitionKeys(domain, "raw")
        .map((k) => `${k}=${value(k)}`)
        .join("/")}/`;
}

/**
 * Writes records as Firehose lands them: Parquet files under the raw partition directories, the
 * partition columns in the path only (lib/layout.ts storedColumns), each stored column with its
 * declared type unless the record says otherwise.
 */
export async function writeRaw(db: DuckDBConnection, root: string, domain: ContractDomain, records: RawRecord[]): Promise<void> {
    const files = new Map<string, RawRecord[]>();
    for (const r of records) {
        const file = `${partitionPath(domain, r)}${r.file ?? "part-0"}.parquet`;
        files.set(file, [...(files.get(file) ?? []), r]);
    }
    const stored = storedColumns(domain, "raw", domain.columns);
    for (const [file, rows] of files) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        const selects = rows.map(
            (r) =>
                `SELECT ${stored
                    .map((c) => {
                        const type = r.storedAs?.[c.name] ?? sqlType(c.type);
                        const value = r.values[c.name];
                        return `CAST(${value === null ? "NULL" : literal(value)} AS ${type}) AS ${c.name}`;
                    })
                    .join(", ")}`,
        );
        await db.run(`COPY (${selects.join(" UNION ALL ")}) TO ${literal(path.join(root, file))} (FORMAT parquet)`);
    }
}

/**
 * Registers the raw files as the job's source view: Hive partitioning on, every partition column
 * typed as the raw catalog table declares it (the column's type, else string: components/catalog),
 * files of differing schemas read by column name.
 */
export async function registerRaw(db: DuckDBConnection, root: string, domain: ContractDomain): Promise<void> {
    const types = partitionKeys(domain, "raw").map((k) => `${literal(k)}: ${sqlType(domain.columns.find((c) => c.name === k)?.type ?? "string")}`);
    await db.run(
        `CREATE OR REPLACE VIEW ${SOURCE_VIEW} AS SELECT * FROM read_parquet(${literal(path.join(root, domain.name, "**", "*.parquet"))}, hive_partitioning = true, union_by_name = true, hive_types = {${types.join(", ")}})`,
    );
}

/** A column of the domain other than the key and the event time, preferring one that is not a partition key. */
export function plainColumn(domain: ContractDomain, accept: (c: ContractColumn) => boolean = () => true): ContractColumn | undefined {
    const candidates = domain.columns.filter((c) => !domain.primaryKey.includes(c.name) && c.name !== domain.eventTime && accept(c));
    return candidates.find((c) => c.name !== domain.partitionKey) ?? candidates[0];
}

/** The domains the tests run on: every domain of every stack, plus one with a nullable event time and a two-column key. */
export function domainsUnderTest(): { label: string; domain: ContractDomain }[] {
    const out = STACKS.flatMap((stack) => declaredDomains(stack).map((d) => ({ label: `${stack} ${d.name}`, domain: etlContract(d) })));
    const base = out[0].domain;
    const second = plainColumn(base, (c) => sqlType(c.type) === "STRING" && c.name !== base.partitionKey)!;
    out.push({
        label: `${base.name} with a nullable event time and a two-column key`,
        domain: { ...base, columns: base.columns.map((c) => (c.name === base.eventTime ? { ...c, nullable: true } : c)), primaryKey: [...base.primaryKey, second.name] },
    });
    return out;
}


/** A run of the job as the warehouse load sees it: its COPY manifest, and the files that lists. */
export interface CuratedRun {
    /** `s3://…/<domain>/_manifests/<run>.manifest`, as the state table records it. */
    manifestUrl: string;
    /** The files the manifest lists, on disk. */
    files: string[];
}

/** The bucket the tests' `s3://` URLs name; its objects lie under the test's root directory. */
export const TEST_BUCKET = "test-lake";
/** The file on disk an `s3://test-lake/…` URL of the tests stands for. */
export function localPath(root: string, url: string): string {
    const prefix = `s3://${TEST_BUCKET}/`;
    if (!url.startsWith(prefix)) throw new Error(`${url} is not in ${prefix}`);
    return path.join(root, url.slice(prefix.length));
}

/**
 * One run of the job: its raw records written in the raw layout, the generated transformation run
 * over them, the batch written as the job writes the run's change set (Parquet files of the
 * declared columns under the run's own prefix, outside the Iceberg table's location), and the
 * run's COPY manifest listing exactly those files with their sizes (what Redshift needs of a
 * Parquet manifest).
 */
export async function writeCuratedRun(db: DuckDBConnection, root: string, domain: ContractDomain, run: string, records: RawRecord[], curatedSql: string): Promise<CuratedRun> {
    const raw = path.join(root, "raw", run);
    await writeRaw(db, raw, domain, records);
    await registerRaw(db, raw, domain);
    const relative = path.join("curated", "_changes", domain.name, run);
    fs.mkdirSync(path.join(root, relative), { recursive: true });
    await db.run(`COPY (${curatedSql}) TO ${literal(path.join(root, relative, "part-00000.snappy.parquet"))} (FORMAT parquet)`);
    const files = fs
        .readdirSync(path.join(root, relative), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith(".parquet"))
        .map((f) => path.join(root, relative, f));
    const entries = files.map((file) => ({ url: `s3://${TEST_BUCKET}/${path.relative(root, file)}`, mandatory: true, meta: { content_length: fs.statSync(file).size } }));
    const manifest = path.join("curated", "_changes", domain.name, "_manifests", `${run}.manifest`);
    fs.mkdirSync(path.dirname(path.join(root, manifest)), { recursive: true });
    fs.writeFileSync(path.join(root, manifest), JSON.stringify({ entries }));
    return { manifestUrl: `s3://${TEST_BUCKET}/${manifest}`, files };
}
