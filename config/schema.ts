import { z } from "zod";
import { isNetworkAddress, PRIVATE_RANGES, parseCidr, contains } from "../lib/cidr";
import { GOVERNED_ZONES, validateGovernance } from "../lib/governance";
import { MSK_TOPIC_API_MIN_VERSION, supportsMskTopicApi } from "../lib/kafka-version";
import { isReservedWord } from "../lib/etl-sql";
import { FIREHOSE_ACTIVE_PARTITIONS_MAX, OVERFLOW_PARTITION } from "../lib/firehose-partitions";
import { TIME_PARTITION_KEYS } from "../lib/layout";
import { domainNames, namePrefix } from "../lib/naming";
import { regionInfo, similarRegions } from "../lib/regions";
import { excludedZoneIds, pinnedZoneIds } from "../lib/zones";
import { scheduleProblem } from "../lib/schedule-expression";
import { LARGEST_VPC_PREFIX, MAX_AZ_COUNT, SMALLEST_VPC_PREFIX } from "../lib/subnet-layout";
import { accountOfArn, flag, IAM_PRINCIPAL_ARN, IAM_ROLE_ARN, intRange, list, oneOf, strict, text } from "./primitives";
import { quotasSchema } from "./quotas";
import { orphanRetentionProblem, tablesSchema } from "./tables";
import { queryProblems, querySchema } from "./query";

/*
 * The one configuration model of the blueprint. Every stack file in `stacks/` is checked against
 * this schema before a single resource is registered. Messages are written as "what is allowed",
 * and the loader prefixes them with the key and the value received, so each bad value becomes one
 * line: `lakehouse:network.azCount: got 7; expected an integer from 2 to 4`.
 */

/** Retention values CloudWatch Logs accepts (PutRetentionPolicy rejects anything else). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The endpoints every environment gets unless its stack file lists its own. */
export const DEFAULT_INTERFACE_ENDPOINTS = [
    "kinesis-streams",
    "kinesis-firehose",
    "glue",
    "kms",
    "logs",
    "monitoring",
    "sts",
    "secretsmanager",
    "sqs",
    "sns",
    "states",
    "redshift-data",
    "lakeformation",
] as const;

/**
 * Interface endpoint service names the platform may call privately: the suffix after
 * `com.amazonaws.<region>.` as AWS spells it (Firehose is `kinesis-firehose`).
 */
export const KNOWN_INTERFACE_ENDPOINTS = [
    ...DEFAULT_INTERFACE_ENDPOINTS,
    "redshift",
    "redshift-serverless",
    "kafka",
    "events",
    "scheduler",
    "athena",
    "ecr.api",
    "ecr.dkr",
    "ssm",
] as const;

/**
 * Storage classes a lifecycle rule may move lake objects to, warmest first. A rule may only move
 * objects to a colder class than the previous transition (S3's lifecycle "waterfall").
 * One Zone-IA is deliberately absent: it keeps the only copy of lake data in a single AZ.
 */
export const STORAGE_CLASSES = ["STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];

/** S3 refuses a transition to Standard-IA earlier than this many days after creation. */
const MIN_DAYS_BEFORE_IA = 30;
/** S3 requires objects to stay this long in Standard-IA before a later transition. */
const MIN_DAYS_IN_IA = 30;

const transitionSchema = strict({
    /** Days after object creation. */
    days: intRange(0, 36500),
    /** Target storage class. */
    storageClass: oneOf(STORAGE_CLASSES),
});

/** Lifecycle of one bucket. Defaults are filled in per zone by {@link zoneLifecycle}. */
function zoneLifecycle(defaults: LifecycleConfig) {
    return strict({
        transitions: z.array(transitionSchema, { error: "expected a list of { days, storageClass }" }).default(defaults.transitions),
        expirationDays: intRange(1, 36500).optional(),
        noncurrentVersionExpirationDays: intRange(1, 3650).default(defaults.noncurrentVersionExpirationDays),
        abortIncompleteMultipartUploadDays: intRange(1, 30).default(defaults.abortIncompleteMultipartUploadDays),
    })
        .default(defaults)
        .superRefine((lifecycle, ctx) => {
            let previousRank = -1;
            let previousDays = -1;
            let iaDays: number | undefined;
            lifecycle.transitions.forEach((t, i) => {
                const rank = STORAGE_CLASSES.indexOf(t.storageClass);
                if (rank <= previousRank) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["transitions", i, "storageClass"],
                        input: t.storageClass,
                        message: `expected a colder class than ${lifecycle.transitions[i - 1].storageClass}, in the order ${list(STORAGE_CLASSES)}`,
                    });
                }
                if (t.days <= previousDays) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["transitions", i, "days"],
                        input: t.days,
                        message: `expected more days than the previous transition (${previousDays})`,
                    });
                }
                if (t.storageClass === "STANDARD_IA" && t.days < MIN_DAYS_BEFORE_IA) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["transitions", i, "days"],
                        input: t.days,
                        message: `expected at least ${MIN_DAYS_BEFORE_IA} days before STANDARD_IA (an S3 minimum)`,
                    });
                }
                if (iaDays !== undefined && t.days < iaDays + MIN_DAYS_IN_IA) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["transitions", i, "days"],
                        input: t.days,
                        message: `expected at least ${iaDays + MIN_DAYS_IN_IA} days: objects must stay ${MIN_DAYS_IN_IA} days in STANDARD_IA first (an S3 rule)`,
                    });
                }
                if (t.storageClass === "STANDARD_IA") iaDays = t.days;
                previousRank = Math.max(previousRank, rank);
                previousDays = Math.max(previousDays, t.days);
            });
            if (lifecycle.expirationDays !== undefined && lifecycle.expirationDays <= previousDays) {
                ctx.addIssue({
                    code: "custom",
                    path: ["expirationDays"],
                    input: lifecycle.expirationDays,
                    message: `expected more days than the last transition (${previousDays})`,
                });
            }
        });
}

/** Lifecycle of one bucket after validation. */
export interface LifecycleConfig {
    /** Transitions to colder storage classes, in ascending days and coldness. */
    transitions: { days: number; storageClass: StorageClass }[];
    /** Days after which current objects expire; absent = kept. */
    expirationDays?: number;
    /** Days after which noncurrent versions expire. */
    noncurrentVersionExpirationDays: number;
    /** Days after which incomplete multipart uploads are aborted. */
    abortIncompleteMultipartUploadDays: number;
}

/** Defaults a data architect would pick; stack files override them per environment. */
export const DEFAULT_LIFECYCLE: Record<"raw" | "curated" | "analytics" | "accessLogs", LifecycleConfig> = {
    raw: {
        transitions: [
            { days: 30, storageClass: "INTELLIGENT_TIERING" },
            { days: 180, storageClass: "GLACIER" },
        ],
        noncurrentVersionExpirationDays: 30,
        abortIncompleteMultipartUploadDays: 3,
    },
    curated: {
        transitions: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }],
        noncurrentVersionExpirationDays: 30,
        abortIncompleteMultipartUploadDays: 3,
    },
    analytics: {
        transitions: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }],
        noncurrentVersionExpirationDays: 30,
        abortIncompleteMultipartUploadDays: 3,
    },
    accessLogs: {
        transitions: [{ days: 90, storageClass: "GLACIER" }],
        expirationDays: 365,
        noncurrentVersionExpirationDays: 7,
        abortIncompleteMultipartUploadDays: 1,
    },
};

const logRetention = z
    .number({ error: `expected one of CloudWatch's retention values: ${list(LOG_RETENTION_DAYS)}` })
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        error: `expected one of CloudWatch's retention values: ${list(LOG_RETENTION_DAYS)}`,
    });

const vpcCidr = z
    .string({ error: "expected an IPv4 CIDR such as 10.20.0.0/16" })
    .superRefine((value, ctx) => {
        const cidr = parseCidr(value);
        const fail = (message: string) => ctx.addIssue({ code: "custom", input: value, message });
        if (!cidr) return fail("expected an IPv4 CIDR such as 10.20.0.0/16");
        if (cidr.prefix < LARGEST_VPC_PREFIX || cidr.prefix > SMALLEST_VPC_PREFIX) {
            return fail(
                `expected a prefix from /${LARGEST_VPC_PREFIX} to /${SMALLEST_VPC_PREFIX}: smaller VPCs leave private subnets too small for Glue workers, brokers and endpoint ENIs`,
            );
        }
        if (!isNetworkAddress(cidr)) return fail("expected a network address with no host bits set (e.g. 10.20.0.0/16)");
        if (!PRIVATE_RANGES.some((range) => contains(range, cidr))) {
            return fail("expected a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16");
        }
    });

/**
 * 2-15 lowercase letters, digits or single hyphens, starting with a letter and ending with a letter or
 * digit: every name derives from `lakehouse-<environment>`, and Redshift cluster identifiers, snapshot
 * identifiers and parameter group names refuse two consecutive hyphens and a trailing one
 * (https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html).
 */
export const ENVIRONMENT_PATTERN = /^(?=.{2,15}$)[a-z](?:-?[a-z0-9])+$/;
/** What {@link ENVIRONMENT_PATTERN} allows, for messages. */
export const ENVIRONMENT_ALLOWED = "expected 2-15 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen (Redshift identifiers refuse \"--\" and a trailing hyphen)";

const tagValue = text(/^[\p{L}\p{N}\s_.:/=+\-@]{1,256}$/u, "expected 1-256 characters of letters, digits, spaces and _ . : / = + - @");

/** MSK Kafka versions currently supported by AWS for new clusters. */
export const SUPPORTED_KAFKA_VERSIONS = ["3.6.0", "3.7.x", "3.8.x", "3.9.x", "4.0.x", "4.1.x"] as const;
/** Broker types the blueprint offers (Graviton m7g, plus t3.small for small test clusters). */
export const MSK_BROKER_TYPES = [
    "kafka.t3.small",
    "kafka.m7g.large",
    "kafka.m7g.xlarge",
    "kafka.m7g.2xlarge",
    "kafka.m7g.4xlarge",
    "kafka.m7g.8xlarge",
    "kafka.m7g.12xlarge",
    "kafka.m7g.16xlarge",
] as const;
/** Redshift node types (RA3 only: managed storage, and the only family with Multi-AZ). */
export const REDSHIFT_NODE_TYPES = ["ra3.large", "ra3.xlplus", "ra3.4xlarge", "ra3.16xlarge"] as const;
/** Column types a domain schema may declare (Glue / Hive type names). */
export const COLUMN_TYPES = ["string", "int", "bigint", "double", "boolean", "timestamp", "date"] as const;
/** Glue worker types; Flex runs only the first two. */
export const GLUE_WORKER_TYPES = ["G.1X", "G.2X", "G.4X", "G.8X"] as const;
const FLEX_WORKER_TYPES: readonly string[] = ["G.1X", "G.2X"];
/** Default admin names that Security Hub flags (Redshift.8 / Redshift.9). */
const DEFAULT_REDSHIFT_ADMINS = ["awsuser", "admin"];

const IDENTIFIER = /^[a-z][a-z0-9_]{1,30}$/;
const identifier = text(IDENTIFIER, "expected 2-31 lowercase letters, digits or underscores, starting with a letter");
const positive = (allowed: string) => z.number({ error: allowed }).positive({ error: allowed }).finite({ error: allowed });

const columnSchema = strict({
    name: identifier,
    type: z.union([oneOf(COLUMN_TYPES), text(/^decimal\(\d{1,2},\d{1,2}\)$/, `expected one of: ${list(COLUMN_TYPES)}, decimal(p,s)`)], {
        error: `expected one of: ${list(COLUMN_TYPES)}, decimal(p,s)`,
    }),
    /** A non-nullable column gets an IsComplete data quality rule. */
    nullable: flag().default(true),
    /** Lower bound of a ColumnValues range rule. */
    min: z.number({ error: "expected a number" }).optional(),
    /** Upper bound of a ColumnValues range rule. */
    max: z.number({ error: "expected a number" }).optional(),
    /** Personal data: governance filters it for non-privileged personas. */
    pii: flag().default(false),
});

const domainSchema = strict({
    name: identifier,
    transport: oneOf(["kinesis", "msk"]),
    peakEventsPerSecond: positive("expected a positive number of events per second"),
    averageEventBytes: intRange(1, 1_048_576),
    dailyVolumeGb: positive("expected a positive number of GB per day"),
    retentionHours: intRange(24, 8760),
    consumers: intRange(1, 20),
    partitionKey: identifier.optional(),
    /**
     * The values `partitionKey` may take, each a raw-zone prefix; a record with any other value lands
     * under the overflow partition `_other` (lib/firehose-partitions.ts). One of this or
     * maxPartitionValues is required with a partitionKey: Firehose's active partitions are bounded.
     */
    partitionValues: z
        .array(text(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, "expected a value of letters, digits, '_', '.' or '-' starting with a letter or digit"), {
            error: "expected a list of partition values",
        })
        .min(1, { error: "expected at least one value" })
        .optional(),
    /** How many distinct values `partitionKey` takes at most (producers' promise; Firehose refuses records past its quota). */
    maxPartitionValues: intRange(1, FIREHOSE_ACTIVE_PARTITIONS_MAX).optional(),
    shardCount: intRange(1, 10_000).optional(),
    columns: z.array(columnSchema, { error: "expected a list of columns" }).min(1, { error: "expected at least one column" }),
    primaryKey: z.array(identifier, { error: "expected a list of column names" }).min(1, { error: "expected at least one column" }),
    /**
     * How old the domain's newest data may be in each zone, and the incoming-record floor (see
     * config/freshness.ts for the defaults and what the load schedule allows).
     */
    freshness: strict({
        rawMinutes: intRange(1, 1440).optional(),
        curatedMinutes: intRange(1, 10_080).optional(),
        warehouseMinutes: intRange(1, 10_080).optional(),
        minRecordsPerMinute: positive("expected a positive number of records per minute").optional(),
    }).optional(),
    /**
     * Buckets of the first primary-key column in the curated Iceberg table's partition spec, beside
     * the event day: for a domain whose rows of one day are too many for one partition's files to
     * serve a key lookup or a MERGE well (Iceberg `bucket(N, key)`).
     */
    hotKeyBuckets: intRange(2, 1024).optional(),
    /**
     * A row-operation column: a row whose value in it is one of `deleteValues` deletes its key from
     * the curated table and the warehouse (unless a later event of the key exists).
     */
    operation: strict({
        column: identifier,
        deleteValues: z
            .array(text(/^[^']{1,64}$/, "expected 1 to 64 characters without a quote"), { error: "expected a list of values" })
            .min(1, { error: "expected at least one value" }),
    }).optional(),
    /** How the domain's warehouse table is laid out. */
    warehouse: strict({
        /** Column rows are distributed by: a join key (default: the first primary-key column). */
        distKey: identifier.optional(),
        /** Columns rows are sorted by (default: the event-time column). */
        sortKeys: z.array(identifier, { error: "expected a list of column names" }).min(1, { error: "expected at least one column" }).optional(),
    }).optional(),
}).superRefine((domain, ctx) => {
    const declared = new Set(domain.columns.map((c) => c.name));
    const mustBeDeclared = (path: (string | number)[], name: string) => {
        if (!declared.has(name)) ctx.addIssue({ code: "custom", path, input: name, message: `expected one of the declared columns: ${[...declared].join(", ")}` });
    };
    if (domain.warehouse?.distKey !== undefined) mustBeDeclared(["warehouse", "distKey"], domain.warehouse.distKey);
    domain.warehouse?.sortKeys?.forEach((key, i) => {
        mustBeDeclared(["warehouse", "sortKeys", i], key);
    });
    domain.columns.forEach((column, i) => {
        if (TIME_PARTITION_KEYS.includes(column.name)) {
            ctx.addIssue({ code: "custom", path: ["columns", i, "name"], input: column.name, message: `expected a name other than the time partition levels ${TIME_PARTITION_KEYS.join(", ")}` });
        }
        // The job's SQL names columns unquoted, the one way Spark SQL and DuckDB both read (lib/etl-sql.ts).
        if (isReservedWord(column.name)) {
            ctx.addIssue({ code: "custom", path: ["columns", i, "name"], input: column.name, message: "expected a name that is not an SQL reserved word (Spark SQL or DuckDB)" });
        }
    });
    domain.primaryKey.forEach((key, i) => {
        mustBeDeclared(["primaryKey", i], key);
    });
    if (domain.operation !== undefined) {
        const { column } = domain.operation;
        const declaredColumn = domain.columns.find((c) => c.name === column);
        if (!declaredColumn) mustBeDeclared(["operation", "column"], column);
        else if (declaredColumn.type !== "string") ctx.addIssue({ code: "custom", path: ["operation", "column"], input: column, message: `expected a string column (${column} is ${declaredColumn.type})` });
        else if (domain.primaryKey.includes(column)) ctx.addIssue({ code: "custom", path: ["operation", "column"], input: column, message: "expected a column outside the primary key: the operation applies to the key" });
    }
    if (domain.partitionKey !== undefined) mustBeDeclared(["partitionKey"], domain.partitionKey);
    // Every value of the key is a Firehose partition while its buffer fills: an unbounded key runs into
    // the stream's active-partitions quota (config/sizes.ts checks the bound against it).
    const bounds = [domain.partitionValues !== undefined, domain.maxPartitionValues !== undefined].filter(Boolean).length;
    if (domain.partitionKey !== undefined && bounds === 0) {
        ctx.addIssue({ code: "custom", path: ["partitionKey"], input: domain.partitionKey, message: "expected partitionValues or maxPartitionValues beside it: the key's values are Firehose partitions, bounded by the stream's active-partitions quota" });
    }
    if (bounds === 2) {
        ctx.addIssue({ code: "custom", path: ["maxPartitionValues"], input: domain.maxPartitionValues, message: "expected partitionValues or maxPartitionValues, not both" });
    }
    if (domain.partitionKey === undefined && bounds > 0) {
        const key = domain.partitionValues !== undefined ? "partitionValues" : "maxPartitionValues";
        ctx.addIssue({ code: "custom", path: [key], input: domain[key], message: "expected a partitionKey for it to bound" });
    }
    const keyColumn = domain.columns.find((c) => c.name === domain.partitionKey);
    if (domain.partitionValues !== undefined && keyColumn !== undefined && keyColumn.type !== "string") {
        ctx.addIssue({ code: "custom", path: ["partitionValues"], input: domain.partitionValues, message: `expected partitionKey ${keyColumn.name} to be a string column (it is ${keyColumn.type}): other values go to the partition ${OVERFLOW_PARTITION}` });
    }
    domain.partitionValues?.forEach((value, i) => {
        if (domain.partitionValues?.indexOf(value) !== i) ctx.addIssue({ code: "custom", path: ["partitionValues", i], input: value, message: "expected each value once" });
    });
    if (!domain.columns.some((c) => c.type === "timestamp")) {
        ctx.addIssue({ code: "custom", path: ["columns"], input: domain.columns.map((c) => c.name), message: "expected a timestamp column: the event time that orders records and partitions" });
    }
    domain.columns.forEach((column, i) => {
        if (column.min !== undefined && column.max !== undefined && column.min > column.max) {
            ctx.addIssue({ code: "custom", path: ["columns", i, "max"], input: column.max, message: `expected at least min (${column.min})` });
        }
    });
    // Each column becomes a column of the catalog tables and of CREATE TABLE, which refuse a name twice.
    domain.columns.forEach((column, i) => {
        if (domain.columns.findIndex((c) => c.name === column.name) < i) {
            ctx.addIssue({ code: "custom", path: ["columns", i, "name"], input: column.name, message: "expected a column name not already declared in this domain (it would be a duplicate column of CREATE TABLE)" });
        }
    });
    // The declared peak bounds what the domain can receive: a floor or a daily volume above it is a typo
    // that would size the stream for the peak while alarming (or pricing) for a load it cannot carry.
    const peakPerMinute = domain.peakEventsPerSecond * 60;
    const floor = domain.freshness?.minRecordsPerMinute;
    if (floor !== undefined && floor > peakPerMinute) {
        ctx.addIssue({ code: "custom", path: ["freshness", "minRecordsPerMinute"], input: floor, message: `expected at most ${peakPerMinute} (peakEventsPerSecond ${domain.peakEventsPerSecond} × 60): a floor above the peak alarms all the time` });
    }
    const peakGbPerDay = (domain.peakEventsPerSecond * domain.averageEventBytes * 86_400) / 1e9;
    if (domain.dailyVolumeGb > peakGbPerDay) {
        ctx.addIssue({
            code: "custom",
            path: ["dailyVolumeGb"],
            input: domain.dailyVolumeGb,
            message: `expected at most ${+peakGbPerDay.toPrecision(6)} (peakEventsPerSecond × averageEventBytes × 86400 s, in GB of 10^9 bytes): the declared peak cannot produce more in a day; raise the peak or the event size`,
        });
    }
});

const THRESHOLD_DEFAULTS = {
    kinesisIteratorAgeMs: 60_000,
    firehoseFreshnessSeconds: 900,
    mskDiskUsedPercent: 80,
    redshiftCpuPercent: 90,
    redshiftDiskPercent: 80,
    ingestionQueueAgeSeconds: 900,
    mskCpuPercent: 60,
    mskConsumerLagSeconds: 900,
    kinesisShardUtilizationPercent: 80,
    redshiftQueueWaitSeconds: 120,
    glueLongRunPercent: 50,
};

const VALIDATOR_DEFAULTS = { maximumConcurrency: 5, batchSize: 100, batchWindowSeconds: 5, memoryMb: 256, timeoutSeconds: 30, accountConcurrencyQuota: 1000 };
/**
 * Lambda keeps 100 of an account's concurrent executions unreserved, and refuses a reservation that
 * would leave fewer: https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 */
export const LAMBDA_UNRESERVED_MINIMUM = 100;
const validatorSchema = strict({
    /**
     * Concurrent executions reserved for the function (opt-in): a new account's quota may be as low as
     * 10, where no reservation is possible. Without it the event source mapping's maximum still caps
     * the function.
     */
    reservedConcurrency: intRange(2, 1000).optional(),
    /** The event source mapping's maximum concurrency (SQS allows 2 to 1000). */
    maximumConcurrency: intRange(2, 1000).default(VALIDATOR_DEFAULTS.maximumConcurrency),
    /**
     * The account's Lambda concurrent-executions quota in the Region (Service Quotas L-B99A9384), which
     * a reservation must leave 100 of unreserved.
     */
    accountConcurrencyQuota: intRange(10, 1_000_000).default(VALIDATOR_DEFAULTS.accountConcurrencyQuota),
    /** Messages per invocation. */
    batchSize: intRange(1, 10_000).default(VALIDATOR_DEFAULTS.batchSize),
    /** Seconds the event source mapping gathers a batch. */
    batchWindowSeconds: intRange(0, 300).default(VALIDATOR_DEFAULTS.batchWindowSeconds),
    /** Function memory (MB). */
    memoryMb: intRange(128, 10_240).default(VALIDATOR_DEFAULTS.memoryMb),
    /** Function timeout (seconds); the queue's visibility timeout is six times it plus the batching window. */
    timeoutSeconds: intRange(3, 900).default(VALIDATOR_DEFAULTS.timeoutSeconds),
}).superRefine((v, ctx) => {
    if (v.reservedConcurrency !== undefined) {
        const reservable = v.accountConcurrencyQuota - LAMBDA_UNRESERVED_MINIMUM;
        if (v.reservedConcurrency > reservable) {
            ctx.addIssue({
                code: "custom",
                path: ["reservedConcurrency"],
                input: v.reservedConcurrency,
                message: `expected at most ${Math.max(0, reservable)}: Lambda keeps ${LAMBDA_UNRESERVED_MINIMUM} of the account's concurrent executions quota (accountConcurrencyQuota ${v.accountConcurrencyQuota}, Service Quotas L-B99A9384) unreserved; omit it or raise the quota and declare it`,
            });
        }
        if (v.maximumConcurrency > v.reservedConcurrency) {
            ctx.addIssue({ code: "custom", path: ["maximumConcurrency"], input: v.maximumConcurrency, message: `expected at most reservedConcurrency (${v.reservedConcurrency}): the event source would be throttled above it` });
        }
    }
    // Lambda refuses an SQS batch above 10 messages without a batching window.
    if (v.batchSize > 10 && v.batchWindowSeconds === 0) {
        ctx.addIssue({ code: "custom", path: ["batchWindowSeconds"], input: v.batchWindowSeconds, message: "expected at least 1 second: a batch size above 10 needs a batching window" });
    }
});

const amount = (what: string) => z.number({ error: `expected a number of ${what}, 0 or more` }).min(0, { error: `expected a number of ${what}, 0 or more` });
const zoneUsage = strict({
    storedGb: amount("GB stored"),
    objects: amount("objects").optional(),
    putsPerMonth: amount("PUT requests per month").optional(),
    getsPerMonth: amount("GET requests per month").optional(),
});
/** The environment's expected usage, for the usage-driven cost lines; every field optional. */
const usageSchema = strict({
    natGbPerMonth: amount("GB per month").optional(),
    interfaceEndpointGbPerMonth: amount("GB per month").optional(),
    lake: strict({
        raw: zoneUsage.optional(),
        curated: zoneUsage.optional(),
        analytics: zoneUsage.optional(),
        logs: zoneUsage.optional(),
        artefacts: zoneUsage.optional(),
        /** The personas' Athena results bucket. */
        "query-results": zoneUsage.optional(),
    }).optional(),
    mskServerless: strict({ partitions: amount("partitions"), storedGb: amount("GB"), gbInPerMonth: amount("GB"), gbOutPerMonth: amount("GB") }).optional(),
    glueJobMinutesPerRun: amount("minutes").optional(),
    crawlerMinutesPerRun: amount("minutes").optional(),
    warehouseStorageGb: amount("GB").optional(),
    warehouseActiveHoursPerMonth: amount("hours").optional(),
    logIngestionGbPerMonth: amount("GB per month").optional(),
    logStorageGb: amount("GB").optional(),
    kmsRequestsPerMonth: amount("requests").optional(),
    sqsRequestsPerMonth: amount("requests").optional(),
    snsPublishesPerMonth: amount("publishes").optional(),
    cloudTrailDataEventsPerMonth: amount("events").optional(),
    lambdaInvocationsPerMonth: amount("invocations").optional(),
    lambdaAverageDurationMs: amount("milliseconds").optional(),
    /** Days of data a month the environment expects to reprocess with npm run backfill. */
    backfillDaysPerMonth: amount("days per month").optional(),
    /** TB a month Athena queries scan across the personas' workgroups. */
    athenaTbScannedPerMonth: amount("TB per month").optional(),
    /** DPU-hours a month Glue's optimizers spend on each curated Iceberg table, by optimizer. */
    tableOptimizerDpuHoursPerMonth: strict({
        compaction: amount("DPU-hours per month").optional(),
        retention: amount("DPU-hours per month").optional(),
        orphanFileDeletion: amount("DPU-hours per month").optional(),
    }).optional(),
});

const governanceSchema = strict({
    /** One DataLakeSettings exists per account and Region: turn off where another stack owns it. */
    manageAccountSettings: flag().default(true),
    /**
     * Protect the account's Lake Formation settings (`protect`): deleting them resets the account's
     * administrators. They are always retained on delete; turn protection off only where stacks are
     * destroyed routinely (dev), so `pulumi destroy` does not stop on them.
     */
    protectAccountSettings: flag().default(true),
    administrators: z
        .array(text(IAM_PRINCIPAL_ARN, "expected an IAM role or user ARN"), { error: "expected a list of IAM role or user ARNs" })
        .min(1, { error: "expected at least one administrator: Lake Formation without administrators cannot be managed" }),
    /**
     * The role that runs `pulumi up` for this stack (e.g. the CI role). It is made a Lake Formation
     * administrator, the drift audit expects it among them, and the program refuses to run as
     * anyone who is neither it nor an administrator, so who deploys never changes the settings.
     */
    deployerRoleArn: text(IAM_ROLE_ARN, "expected an IAM role ARN (arn:aws:iam::<account>:role/<name>): the role that runs pulumi up"),
    crossAccountVersion: intRange(1, 4).default(4),
    trustedResourceOwners: z.array(text(/^\d{12}$/, "expected a 12-digit AWS account id"), { error: "expected a list of account ids" }).default([]),
    hybridAccessZones: z.array(oneOf(GOVERNED_ZONES), { error: "expected a list of lake zones" }).default([]),
    classifications: z.array(identifier, { error: "expected a list of classification values" }).min(1, { error: "expected at least one classification" }).default(["public", "internal", "confidential", "pii"]),
    databaseClassification: z.record(z.string(), z.string({ error: "expected a classification value" }), { error: "expected a mapping of domain to classification" }),
    piiFilters: flag().default(true),
    /** The classification PII columns are tagged with (one of `classifications`). */
    piiClassification: z.string({ error: "expected a classification value" }).default("pii"),
    tableClassification: z
        .array(strict({ domain: identifier, zone: oneOf(GOVERNED_ZONES), classification: z.string({ error: "expected a classification value" }) }), { error: "expected a list of { domain, zone, classification }" })
        .default([]),
    personas: z
        .record(
            identifier,
            strict({
                roleArns: z.array(text(IAM_ROLE_ARN, "expected an IAM role ARN (arn:aws:iam::<account>:role/<name>)"), { error: "expected a list of role ARNs" }).min(1, { error: "expected at least one role ARN" }),
                grants: z
                    .array(
                        strict({
                            resourceType: oneOf(["DATABASE", "TABLE"]),
                            permissions: z.array(z.string({ error: "expected a permission name" }), { error: "expected a list of permissions" }).min(1, { error: "expected at least one permission" }),
                            expression: z.record(z.string(), z.array(z.string(), { error: "expected a list of tag values" }).min(1, { error: "expected at least one tag value" }), {
                                error: "expected a mapping of LF-Tag keys to values",
                            }),
                        }),
                        { error: "expected a list of grants" },
                    )
                    .min(1, { error: "expected at least one grant" }),
                usePiiFilters: flag().default(false),
            }),
            { error: "expected a mapping of persona names" },
        )
        .default({}),
});

/** A Region code the Region table knows; a near miss names the Regions it may have meant. */
function awsRegion(expected: string) {
    return z.string({ error: expected }).superRefine((code, ctx) => {
        if (regionInfo(code)) return;
        const near = similarRegions(code);
        ctx.addIssue({ code: "custom", input: code, message: `expected an AWS Region code${near.length ? ` (did you mean ${near.join(", ")}?)` : " such as eu-west-1"}` });
    });
}

/** An EventBridge schedule expression, checked field by field as AWS would on create. */
const schedule = z.string({ error: "expected rate(<value> <unit>) or cron(<6 fields>)" }).superRefine((expression, ctx) => {
    const problem = scheduleProblem(expression);
    if (problem) ctx.addIssue({ code: "custom", input: expression, message: `expected a valid EventBridge schedule: ${problem}` });
});

/**
 * Keys a mode ignores: setting them would change nothing, so the config is refused rather than
 * silently half-applied. Checked on the raw config (before defaults are filled in), one line per key.
 */
export function ignoredKeyProblems(raw: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const object = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
    const refuse = (key: string, value: unknown, why: string) => problems.push(`${key}: got ${JSON.stringify(value)}; expected no value: ${why}`);
    const streaming = object(raw["lakehouse:streaming"]);
    const msk = object(streaming.msk);
    if (msk.mode === "serverless" || msk.mode === "none") {
        for (const key of ["brokerInstanceType", "brokerCount", "storageGibPerBroker", "maxStorageGibPerBroker"]) {
            if (msk[key] !== undefined) refuse(`lakehouse:streaming.msk.${key}`, msk[key], msk.mode === "serverless" ? "MSK Serverless has no brokers to size; remove it or set msk.mode provisioned" : "msk.mode is none, so there is no cluster");
        }
    }
    if (streaming.kinesisMode === "ON_DEMAND" && Array.isArray(raw["lakehouse:domains"])) {
        (raw["lakehouse:domains"] as unknown[]).forEach((d, i) => {
            const domain = object(d);
            if (domain.shardCount !== undefined) refuse(`lakehouse:domains[${i}].shardCount`, domain.shardCount, "on-demand streams are sized by AWS; remove it or set lakehouse:streaming.kinesisMode PROVISIONED");
        });
    }
    const warehouse = object(raw["lakehouse:warehouse"]);
    if (warehouse.mode === "serverless") {
        for (const key of ["nodeType", "numberOfNodes", "multiAz", "snapshotRetentionDays"]) {
            if (warehouse[key] !== undefined) refuse(`lakehouse:warehouse.${key}`, warehouse[key], "it applies to provisioned clusters only; remove it or set warehouse.mode provisioned");
        }
    }
    if (warehouse.mode === "provisioned" && warehouse.baseCapacityRpu !== undefined) {
        refuse("lakehouse:warehouse.baseCapacityRpu", warehouse.baseCapacityRpu, "it applies to Serverless only; remove it or set warehouse.mode serverless");
    }
    return problems;
}

/** The raw stack configuration, keyed by fully qualified config key. */
export const stackConfigSchema = z
    .strictObject(
        {
            "aws:region": awsRegion("expected an AWS Region code such as eu-west-1"),
            "lakehouse:environment": text(ENVIRONMENT_PATTERN, ENVIRONMENT_ALLOWED),
            "lakehouse:tags": strict({
                owner: tagValue,
                team: tagValue,
                costCentre: tagValue,
                extra: z.record(z.string(), tagValue, { error: "expected a mapping of tag keys to values" }).default({}),
            }),
            "lakehouse:protection": strict({
                protect: flag().default(true),
                removeDataOnDestroy: flag().default(false),
                destroyConfirmation: z.string({ error: "expected the environment name" }).optional(),
            }).default({ protect: true, removeDataOnDestroy: false }),
            "lakehouse:network": strict({
                vpcCidr,
                azCount: intRange(2, MAX_AZ_COUNT),
                /**
                 * Zone ids (use1-az1…) the subnets, brokers and warehouse are pinned to; default the
                 * Region's first azCount ids the platform's services accept (lib/regions.ts).
                 */
                availabilityZoneIds: z.array(text(/^[a-z]+\d+-az\d+$/, "expected a zone id such as use1-az1"), { error: "expected a list of zone ids" }).optional(),
                natStrategy: oneOf(["single", "perAz", "none"]),
                interfaceEndpoints: z
                    .array(oneOf(KNOWN_INTERFACE_ENDPOINTS), { error: "expected a list of endpoint service names" })
                    .default([...DEFAULT_INTERFACE_ENDPOINTS])
                    .superRefine((endpoints, ctx) => {
                        const seen = new Set<string>();
                        endpoints.forEach((name, i) => {
                            if (seen.has(name)) {
                                ctx.addIssue({ code: "custom", path: [i], input: name, message: "expected each endpoint once" });
                            }
                            seen.add(name);
                        });
                    }),
                flowLogs: strict({
                    trafficType: oneOf(["ALL", "ACCEPT", "REJECT"]).default("ALL"),
                    aggregationIntervalSeconds: z
                        .union([z.literal(60), z.literal(600)], { error: "expected 60 or 600" })
                        .default(600),
                }).default({ trafficType: "ALL", aggregationIntervalSeconds: 600 }),
            }),
            "lakehouse:keys": strict({
                deletionWindowDays: intRange(7, 30).default(30),
            }).default({ deletionWindowDays: 30 }),
            "lakehouse:logging": strict({
                retentionDays: logRetention,
            }),
            "lakehouse:domains": z
                .array(domainSchema, { error: "expected a list of data domains" })
                .min(1, { error: "expected at least one data domain" })
                .superRefine((domains, ctx) => {
                    const seen = new Set<string>();
                    domains.forEach((d, i) => {
                        if (seen.has(d.name)) ctx.addIssue({ code: "custom", path: [i, "name"], input: d.name, message: "expected a unique domain name" });
                        seen.add(d.name);
                    });
                }),
            "lakehouse:streaming": strict({
                kinesisMode: oneOf(["PROVISIONED", "ON_DEMAND"]).default("PROVISIONED"),
                enhancedFanOutAboveConsumers: intRange(1, 20).default(2),
                msk: strict({
                    mode: oneOf(["provisioned", "serverless", "none"]),
                    kafkaVersion: oneOf(SUPPORTED_KAFKA_VERSIONS).default("3.9.x"),
                    brokerInstanceType: oneOf(MSK_BROKER_TYPES).optional(),
                    brokerCount: intRange(2, 30).optional(),
                    storageGibPerBroker: intRange(1, 16_384).optional(),
                    maxStorageGibPerBroker: intRange(1, 16_384).default(4096),
                }),
            }),
            "lakehouse:glue": strict({
                glueVersion: oneOf(["4.0", "5.0"]).default("5.0"),
                workerType: oneOf(GLUE_WORKER_TYPES).default("G.1X"),
                /**
                 * Most workers one domain's job may have: each domain's job gets workers for its own
                 * dailyVolumeGb (lib/sizing.ts glueWorkers) up to this, with auto scaling within them.
                 */
                numberOfWorkers: intRange(2, 299).default(2),
                executionClass: oneOf(["STANDARD", "FLEX"]).default("STANDARD"),
                timeoutMinutes: intRange(1, 2880).default(60),
                maxRetries: intRange(0, 10).default(1),
                crawlerSchedule: schedule.default("cron(15 * * * ? *)"),
                manageCatalogEncryption: flag().default(true),
                /** Share of a run's rows that may fail the domain's Data Quality ruleset before the run fails. */
                maxFailedRowsPercent: z
                    .number({ error: "expected a percentage from 0 to 100" })
                    .min(0, { error: "expected a percentage from 0 to 100" })
                    .max(100, { error: "expected a percentage from 0 to 100" })
                    .default(1),
            }).default({
                glueVersion: "5.0",
                workerType: "G.1X",
                numberOfWorkers: 2,
                executionClass: "STANDARD",
                timeoutMinutes: 60,
                maxRetries: 1,
                crawlerSchedule: "cron(15 * * * ? *)",
                manageCatalogEncryption: true,
                maxFailedRowsPercent: 1,
            }),
            "lakehouse:warehouse": strict({
                mode: oneOf(["provisioned", "serverless"]),
                nodeType: oneOf(REDSHIFT_NODE_TYPES).default("ra3.xlplus"),
                numberOfNodes: intRange(1, 128).default(2),
                multiAz: flag().default(false),
                baseCapacityRpu: intRange(8, 512)
                    .refine((rpu) => rpu % 8 === 0, { error: "expected a multiple of 8 from 8 to 512" })
                    .default(8),
                snapshotRetentionDays: intRange(1, 35).default(7),
                adminUsername: text(/^[a-z][a-z0-9_]{0,126}$/, "expected a lowercase name of letters, digits or underscores")
                    .refine((name) => !DEFAULT_REDSHIFT_ADMINS.includes(name), { error: `expected a name other than the defaults ${DEFAULT_REDSHIFT_ADMINS.join(", ")}` })
                    .default("platform_admin"),
                databaseName: identifier.refine((name) => name !== "dev", { error: 'expected a name other than the default "dev"' }).default("lakehouse"),
            }),
            "lakehouse:orchestration": strict({
                schedule: schedule.default("rate(1 hour)"),
                maxReceiveCount: intRange(1, 1000).default(5),
                /**
                 * Domains the warehouse load transforms and loads at once, each in its own child
                 * execution: the cap on concurrent Glue job runs and concurrent warehouse loads.
                 */
                maxConcurrentDomains: intRange(1, 1000).default(10),
                /**
                 * How long a domain's turn usually takes (its job, then its loads), in minutes: with
                 * the domain count and maxConcurrentDomains, how often the load reaches each domain,
                 * which the curated and warehouse freshness objectives are checked against.
                 */
                expectedJobMinutes: intRange(1, 2880).default(15),
                /** The Lambda function validating the ingestion queue's records into the domain streams. */
                validator: validatorSchema.default(VALIDATOR_DEFAULTS),
                /** Principals allowed to assume the queue's producer role (default: any principal of the account its own policy allows). */
                producerPrincipalArns: z.array(text(IAM_PRINCIPAL_ARN, "expected an IAM role or user ARN"), { error: "expected a list of IAM role or user ARNs" }).default([]),
            }).default({ schedule: "rate(1 hour)", maxReceiveCount: 5, maxConcurrentDomains: 10, expectedJobMinutes: 15, validator: VALIDATOR_DEFAULTS, producerPrincipalArns: [] }),
            "lakehouse:monitoring": strict({
                alertEmails: z.array(text(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "expected an e-mail address"), { error: "expected a list of e-mail addresses" }).default([]),
                cloudTrail: flag().default(true),
                thresholds: strict({
                    kinesisIteratorAgeMs: intRange(1000, 86_400_000).default(60_000),
                    firehoseFreshnessSeconds: intRange(60, 86_400).default(900),
                    mskDiskUsedPercent: intRange(10, 95).default(80),
                    redshiftCpuPercent: intRange(10, 100).default(90),
                    redshiftDiskPercent: intRange(10, 95).default(80),
                    /** Age of the ingestion queue's oldest message that alarms. */
                    ingestionQueueAgeSeconds: intRange(60, 1_209_600).default(900),
                    /** Broker CPU (user + system) that alarms; AWS advises keeping it under 60 %. */
                    mskCpuPercent: intRange(10, 100).default(60),
                    /** How far behind a topic a consumer group may be, in seconds. */
                    mskConsumerLagSeconds: intRange(60, 86_400).default(900),
                    /** Share of a shard's write limit the busiest shard may use. */
                    kinesisShardUtilizationPercent: intRange(10, 100).default(80),
                    /** How long queries may wait in the provisioned warehouse's queues, in seconds. */
                    redshiftQueueWaitSeconds: intRange(1, 3600).default(120),
                    /** A Glue job run still going after this share of its timeout notifies (warning). */
                    glueLongRunPercent: intRange(10, 100).default(50),
                }).default(THRESHOLD_DEFAULTS),
            }),
            "lakehouse:governance": governanceSchema,
            "lakehouse:cost": strict({
                monthlyBudgetUsd: positive("expected a positive monthly budget in USD"),
                warnAtPercent: intRange(1, 100).default(80),
                priceRegion: awsRegion("expected an AWS Region code such as us-east-1").optional(),
                strictPrices: flag().default(false),
                /**
                 * A price file (JSON or YAML, path from the project directory) whose prices replace
                 * or add to the list-price catalog's: negotiated rates, or a Region it lacks.
                 */
                priceFile: z.string({ error: "expected the path of a price file" }).optional(),
                usage: usageSchema.default({}),
            }),
            /** The account's raised service quotas, keyed by the ids of lib/quotas.ts (default: AWS's defaults). */
            "lakehouse:quotas": quotasSchema.default({}),
            "lakehouse:tables": tablesSchema,
            "lakehouse:query": querySchema,
            "lakehouse:lake": strict({
                raw: zoneLifecycle(DEFAULT_LIFECYCLE.raw),
                curated: zoneLifecycle(DEFAULT_LIFECYCLE.curated),
                analytics: zoneLifecycle(DEFAULT_LIFECYCLE.analytics),
                accessLogs: zoneLifecycle(DEFAULT_LIFECYCLE.accessLogs),
            }).default({
                raw: DEFAULT_LIFECYCLE.raw,
                curated: DEFAULT_LIFECYCLE.curated,
                analytics: DEFAULT_LIFECYCLE.analytics,
                accessLogs: DEFAULT_LIFECYCLE.accessLogs,
            }),
        },
        {
            error: (issue) =>
                issue.code === "unrecognized_keys" ? "unknown key; the blueprint reads only the keys documented in the README" : undefined,
        },
    )
    .superRefine((cfg, ctx) => {
        const env = cfg["lakehouse:environment"];
        const region = regionInfo(cfg["aws:region"]);
        const azCount = cfg["lakehouse:network"].azCount;
        if (region && region.partition !== "aws") {
            ctx.addIssue({
                code: "custom",
                path: ["aws:region"],
                input: region.code,
                message: `expected a Region of the aws partition: ${region.code} is in ${region.partition}, whose service principals, endpoint names and Step Functions integration ARNs differ and are not built by the blueprint`,
            });
        }
        if (region && azCount > region.azIds.length) {
            ctx.addIssue({
                code: "custom",
                path: ["lakehouse:network", "azCount"],
                input: azCount,
                message: `expected at most ${region.azIds.length}: ${region.code} has ${region.azIds.length} Availability Zones (${region.azIds.join(", ")})`,
            });
        } else if (region && region.partition === "aws" && Number.isInteger(azCount) && azCount >= 2 && azCount <= MAX_AZ_COUNT) {
            // Only once the Region and azCount are valid: a bad one is reported once, on its own key.
            const configured = cfg["lakehouse:network"].availabilityZoneIds;
            try {
                pinnedZoneIds(region.azIds, azCount, excludedZoneIds(cfg["lakehouse:streaming"].msk.mode), configured);
            } catch (err) {
                ctx.addIssue({ code: "custom", path: ["lakehouse:network", configured ? "availabilityZoneIds" : "azCount"], input: configured ?? azCount, message: (err as Error).message.replace(/^got [^;]+; /, "") });
            }
        }
        // The ingestion queue's producer role trusts the principals named here, never the whole account.
        const kinesisDomains = cfg["lakehouse:domains"].filter((d) => d.transport === "kinesis");
        if (kinesisDomains.length > 0 && cfg["lakehouse:orchestration"].producerPrincipalArns.length === 0) {
            ctx.addIssue({
                code: "custom",
                path: ["lakehouse:orchestration", "producerPrincipalArns"],
                input: [],
                message: `expected at least one IAM role or user ARN: the producer role of the ingestion queue (which feeds ${kinesisDomains.map((d) => d.name).join(", ")}) trusts only the principals named here`,
            });
        }
        // Lake Formation administrators are the configured ones and the deployer: all in the stack's account.
        const governance = cfg["lakehouse:governance"];
        const principals = [...governance.administrators, ...(governance.deployerRoleArn ? [governance.deployerRoleArn] : [])];
        const accounts = [...new Set(principals.map(accountOfArn).filter((a): a is string => a !== undefined))];
        if (accounts.length > 1) {
            ctx.addIssue({
                code: "custom",
                path: ["lakehouse:governance", "deployerRoleArn"],
                input: governance.deployerRoleArn,
                message: `expected principals of one account (the stack's): Lake Formation administrators belong to the account they administer, got ${accounts.join(", ")}`,
            });
        }
        const protection = cfg["lakehouse:protection"];
        if (protection.protect && protection.removeDataOnDestroy) {
            ctx.addIssue({
                code: "custom",
                path: ["lakehouse:protection", "removeDataOnDestroy"],
                input: true,
                message: "expected false while lakehouse:protection.protect is true: protected data is never removed",
            });
        }
        // An invalid environment name is reported on its own key; comparing against it would only add noise.
        if (protection.removeDataOnDestroy && ENVIRONMENT_PATTERN.test(env) && protection.destroyConfirmation !== env) {
            ctx.addIssue({
                code: "custom",
                path: ["lakehouse:protection", "destroyConfirmation"],
                input: protection.destroyConfirmation,
                message: `expected "${env}" (the environment name) to confirm removeDataOnDestroy`,
            });
        }
        // Names are built from the environment and the domain: refuse a domain whose names cannot fit.
        cfg["lakehouse:domains"].forEach((domain, i) => {
            const tooLong = domainNames(namePrefix(env), domain.name).find((n) => n.name.length > n.limit);
            if (tooLong) {
                ctx.addIssue({
                    code: "custom",
                    path: ["lakehouse:domains", i, "name"],
                    input: domain.name,
                    message: `expected a shorter name: the ${tooLong.what} ${tooLong.name} would be ${tooLong.name.length} characters (AWS allows ${tooLong.limit}); shorten the domain or lakehouse:environment`,
                });
            }
        });
        const msk = cfg["lakehouse:streaming"].msk;
        if (msk.mode === "provisioned" && msk.brokerCount !== undefined && msk.brokerCount % azCount !== 0) {
            ctx.addIssue({
                code: "custom",
                path: ["lakehouse:streaming", "msk", "brokerCount"],
                input: msk.brokerCount,
                message: `expected a multiple of lakehouse:network.azCount (${azCount}) so brokers spread evenly over the AZs`,
            });
        }
        if (msk.storageGibPerBroker !== undefined && msk.storageGibPerBroker > msk.maxStorageGibPerBroker) {
            ctx.addIssue({
                code: "custom",
                path: ["lakehouse:streaming", "msk", "storageGibPerBroker"],
                input: msk.storageGibPerBroker,
                message: `expected at most maxStorageGibPerBroker (${msk.maxStorageGibPerBroker})`,
            });
        }
        cfg["lakehouse:domains"].forEach((domain, i) => {
            if (domain.transport === "msk" && msk.mode === "none") {
                ctx.addIssue({
                    code: "custom",
                    path: ["lakehouse:domains", i, "transport"],
                    input: domain.transport,
                    message: "expected kinesis: lakehouse:streaming.msk.mode is none",
                });
            }
        });
        // Each MSK domain's topic is created with MSK's topic API (aws.msk.Topic) on a provisioned cluster.
        if (msk.mode === "provisioned" && cfg["lakehouse:domains"].some((d) => d.transport === "msk") && !supportsMskTopicApi(msk.kafkaVersion)) {
            ctx.addIssue({
                code: "custom",
                path: ["lakehouse:streaming", "msk", "kafkaVersion"],
                input: msk.kafkaVersion,
                message: `expected ${MSK_TOPIC_API_MIN_VERSION} or later: the stack creates the MSK domains' topics through MSK's topic API, which earlier versions lack`,
            });
        }
        const glue = cfg["lakehouse:glue"];
        if (glue.executionClass === "FLEX" && !FLEX_WORKER_TYPES.includes(glue.workerType)) {
            ctx.addIssue({
                code: "custom",
                path: ["lakehouse:glue", "workerType"],
                input: glue.workerType,
                message: `expected ${FLEX_WORKER_TYPES.join(" or ")}: the FLEX execution class runs only those`,
            });
        }
        const warehouse = cfg["lakehouse:warehouse"];
        if (warehouse.mode === "provisioned" && warehouse.multiAz && !warehouse.nodeType.startsWith("ra3.")) {
            ctx.addIssue({ code: "custom", path: ["lakehouse:warehouse", "nodeType"], input: warehouse.nodeType, message: "expected an RA3 node type: only RA3 supports Multi-AZ" });
        }
        if (warehouse.mode === "provisioned" && warehouse.multiAz && warehouse.nodeType === "ra3.large") {
            ctx.addIssue({ code: "custom", path: ["lakehouse:warehouse", "nodeType"], input: warehouse.nodeType, message: "expected ra3.xlplus or larger: Multi-AZ is not offered on ra3.large" });
        }
        if (warehouse.mode === "serverless" && azCount < 3) {
            ctx.addIssue({
                code: "custom",
                path: ["lakehouse:warehouse", "mode"],
                input: warehouse.mode,
                message: `expected provisioned: a Redshift Serverless workgroup needs subnets in 3 Availability Zones and lakehouse:network.azCount is ${azCount}`,
            });
        }
        // A domain whose name is itself invalid is reported once, on its name, not again here.
        const invalidDomains = new Set(cfg["lakehouse:domains"].filter((d) => !IDENTIFIER.test(d.name)).map((d) => d.name));
        for (const issue of validateGovernance({
            namePrefix: env,
            domains: cfg["lakehouse:domains"].filter((d) => !invalidDomains.has(d.name)),
            classifications: governance.classifications,
            // With a domain misnamed, a classification key may be meant for it: only its name is reported.
            databaseClassification: invalidDomains.size
                ? Object.fromEntries(Object.entries(governance.databaseClassification).filter(([domain]) => cfg["lakehouse:domains"].some((d) => d.name === domain)))
                : governance.databaseClassification,
            personas: governance.personas,
            tableClassification: governance.tableClassification,
            piiClassification: governance.piiClassification,
        })) {
            ctx.addIssue({ code: "custom", path: ["lakehouse:governance", ...issue.path], input: issue.input, message: issue.message });
        }
        // The curated zone holds Iceberg tables: only their snapshot retention and orphan-file
        // deletion may delete their files (an expired data or metadata file breaks the table), and
        // every file must stay readable without a restore.
        const curatedLifecycle = cfg["lakehouse:lake"].curated;
        if (curatedLifecycle.expirationDays !== undefined) {
            ctx.addIssue({ code: "custom", path: ["lakehouse:lake", "curated", "expirationDays"], input: curatedLifecycle.expirationDays, message: "expected none: the curated zone holds Iceberg tables, whose files only their snapshot retention (lakehouse:tables) may delete" });
        }
        curatedLifecycle.transitions.forEach((t, i) => {
            if (t.storageClass === "GLACIER" || t.storageClass === "DEEP_ARCHIVE") {
                ctx.addIssue({ code: "custom", path: ["lakehouse:lake", "curated", "transitions", i, "storageClass"], input: t.storageClass, message: "expected a class read without a restore (STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR): Iceberg tables read any of their files at any time" });
            }
        });
        for (const problem of queryProblems(cfg["lakehouse:query"], governance.personas, governance.deployerRoleArn, governance.administrators)) {
            ctx.addIssue({ code: "custom", path: ["lakehouse:query", ...problem.path], input: problem.input, message: problem.message });
        }
        const orphanProblem = orphanRetentionProblem(cfg["lakehouse:tables"].orphanFileRetentionDays, cfg["lakehouse:glue"].timeoutMinutes);
        if (orphanProblem) {
            ctx.addIssue({ code: "custom", path: ["lakehouse:tables", "orphanFileRetentionDays"], input: cfg["lakehouse:tables"].orphanFileRetentionDays, message: orphanProblem });
        }
        const window = cfg["lakehouse:keys"].deletionWindowDays;
        if (protection.protect && window !== 30) {
            ctx.addIssue({
                code: "custom",
                path: ["lakehouse:keys", "deletionWindowDays"],
                input: window,
                message: "expected 30 while lakehouse:protection.protect is true",
            });
        }
    });

export type RawStackConfig = z.input<typeof stackConfigSchema>;
export type ParsedStackConfig = z.output<typeof stackConfigSchema>;
