import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { qualityRuleset, transformSql } from "../../lib/etl-sql";
import { icebergMergeSql, type MergeDomain } from "../../lib/iceberg-merge-sql";
import { databaseName } from "../../lib/governance";
import { changeSetPrefix, curatedTablePrefix, domainPrefix, manifestPrefix, partitionKeys, quarantinePrefix } from "../../lib/layout";
import { PENDING_LOAD_ATTRIBUTE, PIPELINE_METRICS_NAMESPACE, RUN_RECORD_TTL_DAYS, runPartition } from "../../lib/pipeline-state";
import { etlJobName } from "../../lib/naming";
import { commitMarkerKey, closeAfterSeconds, DEFAULT_CLOSE_MARGIN_SECONDS, DEFAULT_MAX_HOURS_PER_RUN, inputWatermarkKey, stagingPrefix } from "../../lib/run-integrity";
import { SKEW_SAFE_SPARK_CONF, sparkConfArgument } from "../../lib/sizing";
import { glueRuntimeStatements } from "../shared/glue-permissions";
import { type AccountContext, glueCatalogArn } from "../shared/naming";
import { createServiceRole } from "../shared/service-role";

/**
 * One domain's raw → curated job: its contract (columns, key, event time and partition key, from
 * which lib/etl-sql.ts generates the transformation and the Data Quality ruleset) and its tables.
 */
export interface EtlDomain extends MergeDomain {
    /** Catalog database and table the job reads (raw zone). */
    source: { database: pulumi.Input<string>; table: pulumi.Input<string> };
    /** Catalog database and table the job merges into (curated zone: the domain's Iceberg table). */
    target: { database: pulumi.Input<string>; table: pulumi.Input<string> };
    /**
     * This domain's workers (its job's NumberOfWorkers; with auto scaling, the most a run scales out
     * to), e.g. from its daily volume (lib/sizing.ts glueWorkers).
     * @default the args' numberOfWorkers
     */
    numberOfWorkers?: number;
    /**
     * Buffer interval of the Firehose stream landing this domain in raw (lib/sizing.ts
     * firehoseBuffering): an arrival hour is read once this long and the args' closeMarginSeconds
     * have passed since it ended (lib/run-integrity.ts).
     * @default 900 (Firehose's longest interval)
     */
    bufferIntervalSeconds?: number;
}

/** A bucket's name and ARN. */
export interface BucketInput {
    /** Bucket name. */
    name: pulumi.Input<string>;
    /** Bucket ARN. */
    arn: pulumi.Input<string>;
}

/** Namespace of the pipeline's own metrics (curated and quarantined records, freshness). */
export { PIPELINE_METRICS_NAMESPACE };

/** Arguments of {@link SparkEtlJobs}. */
export interface SparkEtlJobsArgs {
    /** Prefix of job, role and ruleset names, e.g. `lakehouse-prod`. */
    namePrefix: string;
    /** One job (and Data Quality ruleset) per domain. */
    domains: EtlDomain[];
    /** Lake buckets the jobs read and write. */
    buckets: { raw: BucketInput; curated: BucketInput };
    /** Where the script and temporary directories live: a bucket no data lifecycle expires or archives. */
    artefactsBucket: BucketInput;
    /** The pipeline state table each run records itself in (rows, quarantined rows, its COPY manifest). */
    stateTable: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
    /**
     * Share of rows failing the Data Quality ruleset above which a run fails (its input is retried).
     * @default 1
     */
    maxFailedPercent?: number;
    /**
     * Days a run record is kept in the state table.
     * @default 90
     */
    runRecordTtlDays?: number;
    /** Lake key: the jobs read and write SSE-KMS objects with it. */
    lakeKeyArn: pulumi.Input<string>;
    /** Operations key: the jobs' CloudWatch logs. */
    operationsKeyArn: pulumi.Input<string>;
    /** Security configuration (S3, CloudWatch and bookmark encryption) every job uses. */
    securityConfigurationName: pulumi.Input<string>;
    /** NETWORK connection so the jobs run in the private subnets. */
    connectionName: pulumi.Input<string>;
    /**
     * Glue version.
     * @default "5.0"
     */
    glueVersion?: string;
    /** Worker type (`G.1X`…), from config. */
    workerType: string;
    /** Workers of a domain that declares none of its own (with auto scaling, the most a run uses). */
    numberOfWorkers: number;
    /**
     * Glue auto scaling (`--enable-auto-scaling`, Glue 3.0 or later): a run starts small and adds
     * workers up to NumberOfWorkers as its stages need them, and releases idle ones
     * (https://docs.aws.amazon.com/glue/latest/dg/auto-scaling.html).
     * @default true
     */
    autoScaling?: boolean;
    /**
     * `FLEX` runs on spare capacity at a lower DPU price (G.1X/G.2X only); `STANDARD` starts at once.
     * @default "STANDARD"
     */
    executionClass?: "STANDARD" | "FLEX";
    /** Minutes before a run is stopped. */
    timeoutMinutes: number;
    /**
     * Seconds, beyond an hour's end and its Firehose buffer interval, before a run reads the hour
     * (lib/run-integrity.ts closeAfterSeconds).
     * @default 600
     */
    closeMarginSeconds?: number;
    /**
     * Arrival hours a run reads at most (a catch-up goes in runs of this many hours).
     * @default 24
     */
    maxHoursPerRun?: number;
    /**
     * Minutes after which a still-running job run sends Glue's delay notification (a "Glue Job Run
     * Status" event, which the platform's alarms route to the warning topic).
     * @default none (no notification)
     */
    longRunNotifyMinutes?: number;
    /** Automatic retries of a failed run. */
    maxRetries: number;
    /**
     * Fixed name of the jobs' role (Lake Formation grants and the drift audit refer to it).
     * @default auto-named
     */
    roleName?: string;
    /** Account, partition and Region the role's ARNs are written for. */
    account: AccountContext;
}

/** Small-file grouping target: ~128 MB per read task. */
export const GROUP_SIZE_BYTES = 134_217_728;
const SCRIPT_KEY = "glue/scripts/raw_to_curated.py";
const SCRIPT_FILE = path.join(__dirname, "scripts", "raw_to_curated.py");
/** Under the prefix the job role reads its script from (`glue/*`). */
const SQL_KEY_PREFIX = "glue/sql/";

/**
 * The Spark settings of the Iceberg framework on Glue 5.0 (Iceberg 1.7.1), beside `--datalake-formats
 * iceberg`: the `glue_catalog` Spark catalog backed by the Glue Data Catalog, reading and writing
 * with S3FileIO (https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-format-iceberg.html).
 * The tables are created by the catalog component with their own location, so the warehouse is only
 * where a table created without one would go. The session time zone is UTC: Iceberg's `days()`
 * transform is a UTC day, and Spark reads the MERGE's `TIMESTAMP '…'` bounds and casts event
 * times to dates in the session zone (lib/iceberg-merge-sql.ts).
 *
 * The job writes the table with its own IAM role (S3 and catalog permissions below), not with
 * credentials Lake Formation vends (Glue 5.0's full-table-access mode,
 * https://docs.aws.amazon.com/glue/latest/dg/security-access-control-fta.html): the Glue catalog
 * still authorises its GetTable and UpdateTable (the Iceberg commit) by the Lake Formation grants
 * of the curated tables (ALTER to commit; DESCRIBE, SELECT, INSERT, DELETE for what a MERGE does,
 * https://docs.aws.amazon.com/lake-formation/latest/dg/lf-permissions-reference.html).
 */
export function icebergSparkConf(warehouse: string): Record<string, string> {
    return {
        "spark.sql.extensions": "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
        "spark.sql.catalog.glue_catalog": "org.apache.iceberg.spark.SparkCatalog",
        "spark.sql.catalog.glue_catalog.warehouse": warehouse,
        "spark.sql.catalog.glue_catalog.catalog-impl": "org.apache.iceberg.aws.glue.GlueCatalog",
        "spark.sql.catalog.glue_catalog.io-impl": "org.apache.iceberg.aws.s3.S3FileIO",
        "spark.sql.session.timeZone": "UTC",
    };
}

/** The statements a domain's job runs (its --transform_sql object): the transformation and the curated MERGE. */
export function jobStatements(domain: MergeDomain): Record<string, string | { name: string; type: string }[]> {
    const { batch: _batch, ...merge } = icebergMergeSql(domain);
    return { ...transformSql(domain), ...merge };
}

/** The DQDL ruleset of a curated table, from the same contract rules as the job's row split (lib/etl-sql.ts). */
export { qualityRuleset };

/** Where a domain's generated transformation lies in the artefacts bucket: named by its content, so a changed contract changes the job's arguments. */
export function transformSqlKey(domain: string, text: string): string {
    return `${SQL_KEY_PREFIX}${domain}-${createHash("sha256").update(text).digest("hex").slice(0, 16)}.json`;
}

/**
 * Spark ETL from raw to curated, one job per domain: the shipped PySpark script uploaded to the
 * lake with each domain's transformation (SQL generated from its contract, lib/etl-sql.ts), the current Glue version, input by closed arrival hour after the domain's own
 * watermark with staged, transactional commits (lib/run-integrity.ts; Glue bookmarks off), workers per domain
 * with auto scaling, skew-safe Spark settings, the execution class from config, retries and a timeout, continuous logging and metrics, the platform's security
 * configuration and VPC connection, a least-privilege role, and a DQDL ruleset per curated table.
 */
export class SparkEtlJobs extends pulumi.ComponentResource {
    /** Job names by domain. */
    public readonly jobNames: Record<string, pulumi.Output<string>>;
    /** Job ARNs by domain. */
    public readonly jobArns: Record<string, pulumi.Output<string>>;
    /** Role the jobs run as. */
    public readonly roleArn: pulumi.Output<string>;
    /** Data quality ruleset names by domain. */
    public readonly rulesetNames: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: SparkEtlJobsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:etl:SparkEtlJobs", name, {}, opts);
        const child = { parent: this };
        const { account, buckets } = args;
        const artefacts = args.artefactsBucket;

        const script = new aws.s3.BucketObjectv2(
            `${name}-script`,
            {
                bucket: artefacts.name,
                key: SCRIPT_KEY,
                source: new pulumi.asset.FileAsset(SCRIPT_FILE),
                contentType: "text/x-python",
                serverSideEncryption: "aws:kms",
                kmsKeyId: args.lakeKeyArn,
                bucketKeyEnabled: true,
            },
            child,
        );

        const catalogArn = glueCatalogArn(account);
        const role = createServiceRole(
            `${name}-jobs`,
            {
                roleName: args.roleName,
                description: "Glue Spark jobs: raw zone to curated zone",
                service: "glue.amazonaws.com",
                account,
                statements: [
                    { Sid: "ReadScript", Effect: "Allow", Action: ["s3:GetObject"], Resource: pulumi.interpolate`${artefacts.arn}/glue/*` },
                    {
                        Sid: "UseTemporaryDirectories",
                        Effect: "Allow",
                        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"],
                        Resource: [artefacts.arn, pulumi.interpolate`${artefacts.arn}/tmp/glue/*`],
                    },
                    {
                        Sid: "ReadRawDomains",
                        Effect: "Allow",
                        Action: ["s3:GetObject", "s3:ListBucket"],
                        // The whole zone: the one role runs every domain's job, and a statement that listed each
                        // domain grew the role's policy past IAM's 10,240 characters at about a dozen domains.
                        Resource: [buckets.raw.arn, pulumi.interpolate`${buckets.raw.arn}/*`],
                    },
                    {
                        Sid: "WriteCuratedDomains",
                        Effect: "Allow",
                        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"],
                        // Every domain's Iceberg table (data and metadata files, which S3FileIO reads, writes
                        // and, after a failed commit, deletes), quarantine, staging, change sets and manifests
                        // (lib/layout.ts, lib/run-integrity.ts): the zone as a whole, for the same reason.
                        Resource: [buckets.curated.arn, pulumi.interpolate`${buckets.curated.arn}/*`],
                    },
                    { Sid: "UseLakeKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: args.lakeKeyArn },
                    { Sid: "EncryptLogs", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: args.operationsKeyArn },
                    {
                        // GetTable and UpdateTable are also the Iceberg commit of the curated tables (GlueCatalog
                        // swaps the table's metadata_location with UpdateTable).
                        Sid: "CatalogReadAndPartitionWrite",
                        Effect: "Allow",
                        Action: ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions", "glue:GetPartition", "glue:BatchCreatePartition", "glue:BatchGetPartition", "glue:UpdateTable", "glue:CreatePartition", "glue:UpdatePartition", "glue:GetConnection", "glue:GetSecurityConfiguration"],
                        Resource: [
                            pulumi.interpolate`${catalogArn}:catalog`,
                            pulumi.interpolate`${catalogArn}:connection/*`,
                            // The platform's raw and curated databases and their tables, by name pattern.
                            ...(["raw", "curated"] as const).flatMap((zone) => [
                                pulumi.interpolate`${catalogArn}:database/${databaseName(args.namePrefix, zone, "*")}`,
                                pulumi.interpolate`${catalogArn}:table/${databaseName(args.namePrefix, zone, "*")}/*`,
                            ]),
                        ],
                    },
                    {
                        Sid: "DataQualityResults",
                        Effect: "Allow",
                        Action: ["glue:GetDataQualityRuleset", "glue:PublishDataQuality", "glue:StartDataQualityRulesetEvaluationRun"],
                        Resource: pulumi.interpolate`${catalogArn}:dataQualityRuleset/${args.namePrefix}-*`,
                    },
                    {
                        Sid: "PublishJobMetrics",
                        Effect: "Allow",
                        Action: ["cloudwatch:PutMetricData"],
                        Resource: "*",
                        Condition: { StringEquals: { "cloudwatch:namespace": ["Glue", "Glue Data Quality", PIPELINE_METRICS_NAMESPACE] } },
                    },
                    // A run reads its input watermark and earlier runs' commit markers (GetItem), records an empty run (PutItem)
                    // and commits in one TransactWriteItems, authorised as the Put and Update of each item
                    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html).
                    { Sid: "RecordRuns", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], Resource: args.stateTable.arn },
                    ...glueRuntimeStatements(account, "/aws-glue/*", "WriteJobLogs"),
                ],
            },
            child,
        );
        this.roleArn = role.arn;

        this.jobNames = {};
        this.jobArns = {};
        this.rulesetNames = {};
        for (const domain of args.domains) {
            const jobName = etlJobName(args.namePrefix, domain.name);
            const rulesetName = `${args.namePrefix}-${domain.name}-curated`;
            // The SQL goes as an object rather than in a job argument (arguments hold 260 KB in all,
            // https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-glue-arguments.html):
            // the statements reach the job byte for byte whatever characters they hold, read on their
            // own, and their key carries their hash, so a changed contract changes the job's arguments.
            const sqlText = JSON.stringify(jobStatements(domain), null, 2);
            const sql = new aws.s3.BucketObjectv2(
                `${name}-${domain.name}-sql`,
                {
                    bucket: artefacts.name,
                    key: transformSqlKey(domain.name, sqlText),
                    content: sqlText,
                    contentType: "application/json",
                    serverSideEncryption: "aws:kms",
                    kmsKeyId: args.lakeKeyArn,
                    bucketKeyEnabled: true,
                },
                child,
            );
            const job = new aws.glue.Job(
                `${name}-${domain.name}`,
                {
                    name: jobName,
                    description: `Raw to curated for the ${domain.name} domain`,
                    roleArn: role.arn,
                    glueVersion: args.glueVersion ?? "5.0",
                    command: { name: "glueetl", pythonVersion: "3", scriptLocation: pulumi.interpolate`s3://${script.bucket}/${script.key}` },
                    workerType: args.workerType,
                    numberOfWorkers: domain.numberOfWorkers ?? args.numberOfWorkers,
                    executionClass: args.executionClass ?? "STANDARD",
                    maxRetries: args.maxRetries,
                    timeout: args.timeoutMinutes,
                    ...(args.longRunNotifyMinutes !== undefined ? { notificationProperty: { notifyDelayAfter: args.longRunNotifyMinutes } } : {}),
                    securityConfiguration: args.securityConfigurationName,
                    connections: [args.connectionName],
                    executionProperty: { maxConcurrentRuns: 1 },
                    defaultArguments: {
                        "--job-language": "python",
                        // The job keeps its own input watermark (lib/run-integrity.ts): bookmarks judge S3 files by
                        // modification time and would skip a file registered after a later one was read.
                        "--job-bookmark-option": "job-bookmark-disable",
                        "--datalake-formats": "iceberg",
                        "--enable-continuous-cloudwatch-log": "true",
                        "--enable-continuous-log-filter": "true",
                        "--enable-metrics": "true",
                        "--enable-observability-metrics": "true",
                        "--enable-job-insights": "true",
                        ...(args.autoScaling === false ? {} : { "--enable-auto-scaling": "true" }),
                        // Skew-safe Spark (adaptive execution, skew joins split, small partitions coalesced) and
                        // Iceberg's catalog: the job's one --conf argument carries every setting (lib/sizing.ts).
                        "--conf": pulumi.output(buckets.curated.name).apply((bucket) => sparkConfArgument({ ...SKEW_SAFE_SPARK_CONF, ...icebergSparkConf(`s3://${bucket}/`) })),
                        "--TempDir": pulumi.interpolate`s3://${artefacts.name}/tmp/glue/${domain.name}/`,
                        "--domain": domain.name,
                        "--source_database": domain.source.database,
                        "--source_table": domain.source.table,
                        "--source_partition_keys": partitionKeys(domain, "raw").join(","),
                        "--target_database": domain.target.database,
                        "--target_table": domain.target.table,
                        "--target_path": pulumi.interpolate`s3://${buckets.curated.name}/${curatedTablePrefix(domain)}`,
                        // The quarantine stays plain Parquet by arrival day, for inspection.
                        "--quarantine_partition_keys": partitionKeys(domain, "curated").join(","),
                        "--changes_path": pulumi.interpolate`s3://${buckets.curated.name}/${changeSetPrefix(domain)}`,
                        "--event_time_column": domain.eventTime,
                        "--transform_sql": pulumi.interpolate`s3://${sql.bucket}/${sql.key}`,
                        "--group_size": String(GROUP_SIZE_BYTES),
                        "--dq_ruleset": rulesetName,
                        "--quarantine_path": pulumi.interpolate`s3://${buckets.curated.name}/${quarantinePrefix(domain)}`,
                        "--max_failed_percent": String(args.maxFailedPercent ?? 1),
                        "--manifest_prefix": pulumi.interpolate`s3://${buckets.curated.name}/${manifestPrefix(domain)}`,
                        "--state_table": args.stateTable.name,
                        "--state_run_partition": runPartition(domain.name),
                        "--state_pending_attribute": PENDING_LOAD_ATTRIBUTE,
                        "--state_ttl_days": String(args.runRecordTtlDays ?? RUN_RECORD_TTL_DAYS),
                        "--metrics_namespace": PIPELINE_METRICS_NAMESPACE,
                        "--raw_path": pulumi.interpolate`s3://${buckets.raw.name}/${domainPrefix(domain)}`,
                        "--staging_path": pulumi.interpolate`s3://${buckets.curated.name}/${stagingPrefix(domain.name)}`,
                        "--close_after_seconds": String(closeAfterSeconds(domain.bufferIntervalSeconds ?? 900, args.closeMarginSeconds ?? DEFAULT_CLOSE_MARGIN_SECONDS)),
                        "--max_hours_per_run": String(args.maxHoursPerRun ?? DEFAULT_MAX_HOURS_PER_RUN),
                        "--input_watermark_key": `${inputWatermarkKey(domain.name).pk}|${inputWatermarkKey(domain.name).sk}`,
                        "--commit_marker_partition": commitMarkerKey(domain.name, "").pk,
                    },
                },
                child,
            );
            this.jobNames[domain.name] = job.name;
            this.jobArns[domain.name] = job.arn;

            const ruleset = new aws.glue.DataQualityRuleset(
                `${name}-${domain.name}`,
                {
                    name: rulesetName,
                    description: `Completeness, uniqueness and ranges of the curated ${domain.name} table`,
                    ruleset: qualityRuleset(domain),
                    targetTable: { databaseName: domain.target.database, tableName: domain.target.table },
                },
                child,
            );
            this.rulesetNames[domain.name] = ruleset.name;
        }

        this.registerOutputs({ jobNames: this.jobNames, rulesetNames: this.rulesetNames });
    }
}
