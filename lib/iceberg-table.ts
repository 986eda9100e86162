/**
 * The curated zone's Apache Iceberg table of a domain, from its declared contract: the schema (the
 * declared columns in declared order, typed as Iceberg types), the partition spec (the event day, plus a bucket of the key where the domain declares its
 * keys hot) and the table properties every writer and reader of the platform relies on. The catalog
 * component creates the table with it; the job's MERGE (lib/iceberg-merge-sql.ts) writes into it.
 *
 * Iceberg's table spec: https://iceberg.apache.org/spec/ (types, partition transforms, identifier
 * fields); Glue's CreateTable with an IcebergInput:
 * https://docs.aws.amazon.com/glue/latest/webapi/API_CreateIcebergTableInput.html.
 */

/** What the table needs of a domain. */
export interface IcebergDomain {
    /** Declared columns, in order, with their Glue types. */
    columns: { name: string; type: string }[];
    /** Columns identifying a row. */
    primaryKey: string[];
    /** The event-time column: rows are partitioned by its day. */
    eventTime: string;
    /**
     * Buckets of the first primary-key column beside the event day.
     * @default none
     */
    hotKeyBuckets?: number;
}

/** One field of the table's schema, as Glue's IcebergStructField takes it. */
export interface IcebergField {
    /** Field id: 1, 2, … in declared order (Iceberg tracks columns by id, not by name). */
    id: number;
    name: string;
    /** The Iceberg type, JSON-encoded as the API takes it (`"string"`, `"decimal(12,2)"`). */
    type: string;
    /**
     * Always false: Iceberg's Spark writer refuses to write a nullable column into a required field
     * (`spark.sql.iceberg.check-nullability`), and the job's columns come out of `TRY_CAST`, nullable
     * for Spark; the contract's completeness rules keep key and non-nullable columns filled instead.
     * For the same reason the table declares no identifier fields, which must be required
     * (https://iceberg.apache.org/spec/#identifier-field-ids); the MERGE names its key itself.
     */
    required: false;
}

/** One partition field. */
export interface IcebergPartitionField {
    /** Partition field ids start at 1000 (the spec reserves them apart from column ids). */
    fieldId: number;
    name: string;
    /** Id of the schema field it is computed from. */
    sourceId: number;
    /** Iceberg transform: `day`, `bucket[N]`. */
    transform: string;
}

/** The whole table definition. */
export interface IcebergTable {
    fields: IcebergField[];
    partitionFields: IcebergPartitionField[];
    properties: Record<string, string>;
}

/** Iceberg's type for a declared Glue column type. */
export function icebergType(glueType: string): string {
    const type = glueType.trim().toLowerCase();
    const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(type);
    if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
    // Spark's TIMESTAMP is an instant (session time zone), which Iceberg calls timestamptz; a
    // `timestamp` (without zone) column would need Spark's TIMESTAMP_NTZ on every write.
    const known: Record<string, string> = { string: "string", int: "int", bigint: "long", double: "double", boolean: "boolean", timestamp: "timestamptz", date: "date" };
    const iceberg = known[type];
    if (!iceberg) throw new Error(`no Iceberg type for the column type ${glueType}`);
    return iceberg;
}

/** Bytes in a MiB. */
const MIB = 1024 * 1024;

/**
 * The table of a domain. `targetFileSizeMb` is what writers and compaction aim each data file at.
 * Row-level changes are copy-on-write: a MERGE rewrites the data files of the partitions it
 * touches (its target predicate bounds them, lib/iceberg-merge-sql.ts), and readers never merge
 * delete files, so every engine the personas use reads the table as written.
 */
export function icebergTable(domain: IcebergDomain, options: { targetFileSizeMb: number }): IcebergTable {
    const fields: IcebergField[] = domain.columns.map((column, i) => ({
        id: i + 1,
        name: column.name,
        type: JSON.stringify(icebergType(column.type)),
        required: false,
    }));
    const idOf = (name: string) => {
        const field = fields.find((f) => f.name === name);
        if (!field) throw new Error(`${name} is not a declared column`);
        return field.id;
    };
    const partitionFields: IcebergPartitionField[] = [{ fieldId: 1000, name: `${domain.eventTime}_day`, sourceId: idOf(domain.eventTime), transform: "day" }];
    if (domain.hotKeyBuckets !== undefined) {
        const key = domain.primaryKey[0];
        partitionFields.push({ fieldId: 1001, name: `${key}_bucket`, sourceId: idOf(key), transform: `bucket[${domain.hotKeyBuckets}]` });
    }
    return {
        fields,
        partitionFields,
        properties: {
            "format-version": "2",
            "write.format.default": "parquet",
            "write.parquet.compression-codec": "snappy",
            "write.target-file-size-bytes": String(options.targetFileSizeMb * MIB),
            "write.delete.mode": "copy-on-write",
            "write.update.mode": "copy-on-write",
            "write.merge.mode": "copy-on-write",
        },
    };
}
