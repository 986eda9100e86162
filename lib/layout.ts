/**
 * The one partition layout of each domain and zone. The writers (Firehose into raw, the ETL job
 * into curated), the catalog tables, the crawlers, the job's predicates and the warehouse load all
 * take their partition keys and paths from here, so they cannot disagree.
 */
import { RUN_RECORD_TTL_DAYS } from "./pipeline-state";

/** Lake zones the layout covers. */
export type LayoutZone = "raw" | "curated" | "analytics";

/** What the layout needs to know of a domain. */
export interface LayoutDomain {
    name: string;
    /** A record field the raw zone is partitioned by before time (Firehose dynamic partitioning). */
    partitionKey?: string;
}

/** A time partition level and its Firehose timestamp format. */
const TIME_LEVELS = { year: "yyyy", month: "MM", day: "dd", hour: "HH" } as const;
type TimeLevel = keyof typeof TIME_LEVELS;
/** The time partition levels; no domain column may take their names. */
export const TIME_PARTITION_KEYS: readonly string[] = Object.keys(TIME_LEVELS);

/** Raw lands by arrival hour; curated and analytics are kept by day. */
const TIME_KEYS: Record<LayoutZone, TimeLevel[]> = {
    raw: ["year", "month", "day", "hour"],
    curated: ["year", "month", "day"],
    analytics: ["year", "month", "day"],
};

/**
 * The raw partition level a domain's partition key lands under: `<key>_partition`, a name of its
 * own, so the record keeps its field in the file. Firehose writes the level from the key's value
 * bounded to the declared set (any other value lands under `_other`); were the level the field
 * itself, the table would read the field from the path, and a record routed to `_other` would lose
 * its real value.
 */
export function rawPartitionLevel(key: string): string {
    return `${key}_partition`;
}

/** The partition keys of a domain's table in a zone, in path order. */
export function partitionKeys(domain: LayoutDomain, zone: LayoutZone): string[] {
    return [...(zone === "raw" && domain.partitionKey ? [rawPartitionLevel(domain.partitionKey)] : []), ...TIME_KEYS[zone]];
}

/** The domain's prefix in a zone bucket: `<domain>/`; partitions lie below it. */
export function domainPrefix(domain: LayoutDomain): string {
    return `${domain.name}/`;
}

/**
 * Where a domain's curated Iceberg table lives in the curated bucket: `iceberg/<domain>/`, apart
 * from the `<domain>/` prefix the Parquet curated layout of earlier versions used. Orphan-file
 * deletion removes every file under a table's location that no snapshot references, so a table
 * created over older files would delete them; under its own root it never sees them.
 */
export function curatedTablePrefix(domain: LayoutDomain): string {
    return `iceberg/${domain.name}/`;
}

/**
 * The Firehose prefix that writes the raw layout: the partition key from the record
 * (`!{partitionKeyFromQuery:…}`), then the arrival time (`!{timestamp:…}`).
 */
export function firehoseRawPrefix(domain: LayoutDomain): string {
    const levels = partitionKeys(domain, "raw").map((key) =>
        key in TIME_LEVELS ? `${key}=!{timestamp:${TIME_LEVELS[key as TimeLevel]}}/` : `${key}=!{partitionKeyFromQuery:${key}}/`,
    );
    return `${domainPrefix(domain)}${levels.join("")}`;
}

/** The raw bucket's prefix under which Firehose puts every domain's failed records (hidden from readers by the `_`). */
export const FIREHOSE_ERROR_ROOT = "_errors/";

/** Where Firehose puts records it could not deliver or convert, by error type and arrival hour. */
export function firehoseErrorPrefix(domain: LayoutDomain): string {
    return `${FIREHOSE_ERROR_ROOT}${domain.name}/!{firehose:error-output-type}/${TIME_KEYS.raw.map((key) => `${key}=!{timestamp:${TIME_LEVELS[key]}}/`).join("")}`;
}

/** Columns that are partition keys in a zone are not stored in its files (Hive layout). */
export function storedColumns<C extends { name: string }>(domain: LayoutDomain, zone: LayoutZone, columns: C[]): C[] {
    const keys = new Set(partitionKeys(domain, zone));
    return columns.filter((c) => !keys.has(c.name));
}

/** Where a domain's rows failing its ruleset are kept, in the curated bucket (hidden from readers by the `_`). */
export function quarantinePrefix(domain: LayoutDomain): string {
    return `_quarantine/${domain.name}/`;
}

/**
 * Where each ETL run writes its change set, in the curated bucket: the batch it merged into the
 * domain's Iceberg table, as Parquet under `<prefix><Glue run id>/`, which the warehouse load
 * copies. Outside the table's location (`iceberg/<domain>/`), so the table's orphan-file deletion never
 * takes it for a file of the table, and hidden from readers by the `_`.
 */
export function changeSetPrefix(domain: LayoutDomain): string {
    return `${CHANGE_SET_ROOT}${domain.name}/`;
}

/** The root of every domain's change sets and their manifests in the curated bucket. */
export const CHANGE_SET_ROOT = "_changes/";

/**
 * Days a change set and its manifest are kept: as long as the run record that points the
 * warehouse load at them (its TTL, `--state_ttl_days`). A load that has not run by then never
 * will for that run: its record is gone too.
 */
export const CHANGE_SET_EXPIRY_DAYS = RUN_RECORD_TTL_DAYS;

/**
 * Where each ETL run writes the COPY manifest of its change set (`<prefix><Glue run id>.manifest`),
 * beside the change sets, outside the table's location; the warehouse load reads it from here.
 */
export function manifestPrefix(domain: LayoutDomain): string {
    return `${changeSetPrefix(domain)}_manifests/`;
}
