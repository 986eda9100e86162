/**
 * What the code a plan deploys calls, listed by hand: the verifier does not read code at verify
 * time (a plan records a script's asset path and a function's archive, not what they do), so this
 * table says, for the Glue script and each Lambda handler of the blueprint, every AWS API call the
 * code makes, the IAM actions AWS authorises it as and the job argument or environment variable
 * that names its target. The requirement entries below check each call against the role of every
 * job or function that runs the code, like any other hop; a test reads the sources and fails when
 * a call in the code is missing here, or a call here is no longer in the code.
 *
 * Calls made by a library on the code's behalf (`via` other than `sdk`) are listed with the
 * library that makes them; the source test does not look for those.
 */
import * as path from "node:path";
import { parseS3Url, s3Arn } from "./arn";
import type { AccessCheck } from "./iam";
import type { PlanModel } from "./model";
import type { PlannedResource } from "./plan";
import { kmsViaS3 } from "./requirements/common";
import { dynamoDbChecks, queueKeyChecks } from "./requirements/states";

/** What a call's target is resolved from: the resource running the code and its settings. */
export interface CallContext {
    model: PlanModel;
    resource: PlannedResource;
    /** A Glue job's default argument (`--state_table`). */
    argument(name: string): string | undefined;
    /** A Lambda function's environment variable. */
    environment(name: string): string | undefined;
}

/** One call the code makes. */
export interface CodeCall {
    /** The call as the code makes it: `<SDK client>:<Operation>` (`dynamodb:PutItem`, `s3:ListObjectsV2`). */
    call: string;
    /**
     * `sdk` for a call the code makes itself through a client (the AWS SDK, boto3, KafkaJS), which
     * the source test compares with the code; else the library that makes it on the code's behalf.
     */
    via: "sdk" | string;
    /** The IAM actions AWS authorises it as (with the key's, when the target is encrypted). */
    actions: string[];
    /** What it targets, and which argument or environment variable names that. */
    target: string;
    /** The requests AWS authorises it as; a string says why the target is not in the plan. */
    checks(context: CallContext): AccessCheck[] | string;
}

/** A script or handler of the repository and the calls it makes. */
export interface CodeEntry {
    /** Path of the source, from the repository root (the script, or the handler's entry module). */
    source: string;
    /** Other modules of the handler that make calls. */
    modules?: string[];
    runtime: "glue-job" | "lambda";
    /** Job arguments (without `--`) or environment variables the code reads to find its targets. */
    reads: string[];
    /** Job arguments naming S3 objects the code loads to run (they must exist: a run-time object). */
    loads?: string[];
    /** The function handler (`module.export`) a Lambda entry runs as. */
    handler?: string;
    calls: CodeCall[];
}

const arg = (name: string) => `--${name}`;

/** `s3://bucket/prefix/` of an argument, or why there is none. */
function location(context: CallContext, name: string): { bucket: string; key: string } | string {
    const value = context.argument(arg(name));
    return parseS3Url(value) ?? `${arg(name)} is ${value === undefined ? "not set" : `not an S3 location (${value})`}`;
}

/** The checks of a call on the target an argument names, or why the argument gives none. */
function onArgument(context: CallContext, name: string, checks: (value: string) => AccessCheck[] | string): AccessCheck[] | string {
    const value = context.argument(arg(name));
    return value === undefined ? `argument ${arg(name)} is not set` : checks(value);
}

/** The code of the blueprint, by source file. */
export const CODE_CALLS: CodeEntry[] = [
    {
        source: "components/etl/scripts/raw_to_curated.py",
        runtime: "glue-job",
        reads: [
            "target_path",
            "changes_path",
            "manifest_prefix",
            "state_table",
            "metrics_namespace",
            "dq_ruleset",
            "transform_sql",
            "raw_path",
            "staging_path",
            "quarantine_path",
            "source_database",
            "source_table",
            "target_database",
            "target_table",
        ],
        loads: ["transform_sql"],
        calls: [
            {
                call: "s3:ListObjectsV2",
                actions: ["s3:ListBucket"],
                via: "sdk",
                target: "the arrival-hour prefixes under --raw_path (the run's input), and the run's own prefix under --staging_path (its staged files, for the COPY manifest; earlier runs' leftovers)",
                checks: (c) => {
                    const raw = location(c, "raw_path");
                    const staging = location(c, "staging_path");
                    if (typeof raw === "string") return raw;
                    if (typeof staging === "string") return staging;
                    return [
                        { action: "s3:ListBucket", resource: s3Arn(c.model.partition, raw.bucket), context: { "s3:prefix": `${raw.key}year=2026/month=01/day=01/hour=00/` } },
                        { action: "s3:ListBucket", resource: s3Arn(c.model.partition, staging.bucket), context: { "s3:prefix": `${staging.key}jr_0000000000/` } },
                    ];
                },
            },
            {
                call: "spark:read.parquet",
                actions: ["s3:GetObject", "kms:Decrypt"],
                via: "Spark on Glue (the raw files the run listed)",
                target: "the raw files of the hours the run reads, under --raw_path",
                checks: (c) => {
                    const raw = location(c, "raw_path");
                    if (typeof raw === "string") return raw;
                    return readObject(c.model, raw.bucket, `${raw.key}year=2026/month=01/day=01/hour=00/part-0.parquet`);
                },
            },
            {
                call: "spark:write.parquet",
                actions: ["s3:PutObject", "kms:GenerateDataKey"],
                via: "Spark on Glue (the run's change set and quarantined rows)",
                target: "the run's staging prefix under --staging_path",
                checks: (c) => {
                    const staging = location(c, "staging_path");
                    if (typeof staging === "string") return staging;
                    const key = `${staging.key}jr_0000000000/changes/part-0.parquet`;
                    return writeObject(c.model, staging.bucket, key);
                },
            },
            {
                call: "s3:CopyObject",
                actions: ["s3:GetObject", "s3:PutObject", "kms:Decrypt", "kms:GenerateDataKey"],
                via: "sdk",
                target: "each staged file under --staging_path, copied into place under --changes_path<run id>/ or --quarantine_path (place_output)",
                checks: (c) => {
                    const staging = location(c, "staging_path");
                    const changes = location(c, "changes_path");
                    const quarantine = location(c, "quarantine_path");
                    for (const l of [staging, changes, quarantine]) if (typeof l === "string") return l;
                    const [s, t, q] = [staging, changes, quarantine] as { bucket: string; key: string }[];
                    const staged = `${s.key}jr_0000000000/changes/part-0.parquet`;
                    return [
                        ...readObject(c.model, s.bucket, staged),
                        ...[
                            { bucket: t.bucket, key: `${t.key}jr_0000000000/part-0.parquet` },
                            { bucket: q.bucket, key: `${q.key}year=2026/month=01/day=01/part-0.parquet` },
                        ].flatMap((o) => writeObject(c.model, o.bucket, o.key)),
                    ];
                },
            },
            {
                call: "s3:DeleteObjects",
                actions: ["s3:DeleteObject"],
                via: "sdk",
                target: "staged files under --staging_path once committed, and an uncommitted run's placed copies (--changes_path, --quarantine_path) and manifest (--manifest_prefix)",
                checks: (c) => {
                    const names = ["staging_path", "changes_path", "quarantine_path", "manifest_prefix"];
                    const locations = names.map((n) => location(c, n));
                    const missing = locations.find((l) => typeof l === "string");
                    if (typeof missing === "string") return missing;
                    return (locations as { bucket: string; key: string }[]).map((l) => ({ action: "s3:DeleteObject", resource: s3Arn(c.model.partition, l.bucket, `${l.key}jr_0000000000.parquet`) }));
                },
            },
            {
                call: "dynamodb:GetItem",
                actions: ["dynamodb:GetItem", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                via: "sdk",
                target: "the input watermark and earlier runs' commit markers in the table --state_table names",
                checks: (c) => onArgument(c, "state_table", (table) => dynamoDbChecks(c.model, "dynamodb:GetItem", table)),
            },
            {
                call: "dynamodb:TransactWriteItems",
                actions: ["dynamodb:PutItem", "dynamodb:UpdateItem", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                via: "sdk",
                // Authorised as each item's own action (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html).
                target: "the run record and commit marker (Put) and the input watermark (Update) in the table --state_table names (commit)",
                checks: (c) => onArgument(c, "state_table", (table) => [...dynamoDbChecks(c.model, "dynamodb:PutItem", table), ...dynamoDbChecks(c.model, "dynamodb:UpdateItem", table)]),
            },
            {
                call: "glue:GetTable",
                actions: ["glue:GetTable"],
                via: "sdk",
                target: "the raw table whose partitions the run registers (--source_database/--source_table) and the curated Iceberg table it merges into (--target_database/--target_table)",
                checks: (c) => catalogChecks(c, "glue:GetTable"),
            },
            {
                call: "glue:BatchCreatePartition",
                actions: ["glue:BatchCreatePartition"],
                via: "sdk",
                target: "the raw hours the run read, in the table --source_table (Iceberg keeps the curated table's partitions itself)",
                checks: (c) => catalogChecks(c, "glue:BatchCreatePartition", ["source"]),
            },
            {
                call: "spark:MERGE INTO (Iceberg)",
                actions: ["glue:GetTable", "glue:UpdateTable", "s3:GetObject", "s3:PutObject", "kms:Decrypt", "kms:GenerateDataKey"],
                via: "Spark on Glue with the Iceberg framework (GlueCatalog, S3FileIO)",
                // The commit reads the table's metadata and data files, writes new data, manifests and
                // metadata under its location, and swaps metadata_location in the catalog
                // (https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-format-iceberg.html).
                target: "the curated Iceberg table --target_database/--target_table and its files under --target_path",
                checks: (c) => {
                    const target = location(c, "target_path");
                    if (typeof target === "string") return target;
                    const catalog = catalogChecks(c, "glue:UpdateTable", ["target"]);
                    if (typeof catalog === "string") return catalog;
                    const data = `${target.key}data/00000-0-data.parquet`;
                    const metadata = `${target.key}metadata/00001-0.metadata.json`;
                    return [
                        ...catalog,
                        ...readObject(c.model, target.bucket, data),
                        ...[data, metadata].flatMap((key) => writeObject(c.model, target.bucket, key)),
                    ];
                },
            },
            {
                call: "s3:PutObject",
                actions: ["s3:PutObject", "kms:GenerateDataKey"],
                via: "sdk",
                target: "the run's COPY manifest under --manifest_prefix (the bucket's default encryption)",
                checks: (c) => {
                    const prefix = location(c, "manifest_prefix");
                    if (typeof prefix === "string") return prefix;
                    const key = `${prefix.key}jr_0000000000.manifest`;
                    return writeObject(c.model, prefix.bucket, key);
                },
            },
            {
                call: "s3:GetObject",
                via: "sdk",
                actions: ["s3:GetObject", "kms:Decrypt"],
                target: "the generated statements --transform_sql names (load_transform)",
                checks: (c) => {
                    const statements = location(c, "transform_sql");
                    if (typeof statements === "string") return statements;
                    return readObject(c.model, statements.bucket, statements.key);
                },
            },
            {
                call: "dynamodb:PutItem",
                actions: ["dynamodb:PutItem", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                via: "sdk",
                target: "the pipeline state table --state_table names (record_run)",
                checks: (c) => onArgument(c, "state_table", (table) => dynamoDbChecks(c.model, "dynamodb:PutItem", table)),
            },
            {
                call: "cloudwatch:PutMetricData",
                actions: ["cloudwatch:PutMetricData"],
                via: "sdk",
                target: "the namespace --metrics_namespace names (publish_metrics)",
                checks: (c) => onArgument(c, "metrics_namespace", (namespace) => [{ action: "cloudwatch:PutMetricData", resource: "*", context: { "cloudwatch:namespace": namespace } }]),
            },
            {
                call: "glue:GetDataQualityRuleset",
                actions: ["glue:GetDataQualityRuleset"],
                via: "sdk",
                target: "the Data Quality ruleset --dq_ruleset names",
                checks: (c) => onArgument(c, "dq_ruleset", (ruleset) => [{ action: "glue:GetDataQualityRuleset", resource: rulesetArn(c.model, ruleset) }]),
            },
            {
                call: "glue:PublishDataQuality",
                actions: ["glue:PublishDataQuality"],
                via: "awsgluedq EvaluateDataQuality (enableDataQualityResultsPublishing)",
                target: "the results of the ruleset --dq_ruleset names",
                checks: (c) => onArgument(c, "dq_ruleset", (ruleset) => [{ action: "glue:PublishDataQuality", resource: rulesetArn(c.model, ruleset) }]),
            },
            {
                call: "cloudwatch:PutMetricData",
                actions: ["cloudwatch:PutMetricData"],
                via: "awsgluedq EvaluateDataQuality (enableDataQualityCloudWatchMetrics)",
                target: "the Glue Data Quality namespace",
                checks: () => [{ action: "cloudwatch:PutMetricData", resource: "*", context: { "cloudwatch:namespace": "Glue Data Quality" } }],
            },
        ],
    },
    {
        source: "components/orchestration/functions/ingestion-validator/handler.ts",
        runtime: "lambda",
        handler: "handler.handler",
        reads: ["DEAD_LETTER_QUEUE_URL"],
        calls: [
            {
                call: "kinesis:PutRecords",
                actions: ["kinesis:PutRecords", "kms:GenerateDataKey"],
                via: "sdk",
                // contracts.json ships inside the archive, which the plan does not record: every stream of the plan is a candidate.
                target: "each domain's stream, named by the contracts bundled with the code (every Kinesis stream of the plan)",
                checks: (c) => {
                    const streams = c.model.ofType("aws:kinesis/stream:Stream");
                    if (streams.length === 0) return "the plan has no Kinesis stream";
                    return streams.flatMap((stream) => {
                        const arn = c.model.arnOf(stream);
                        if (!arn) return [];
                        const key = stream.inputs.encryptionType === "KMS" ? c.model.keyArn(stream.inputs.kmsKeyId) : undefined;
                        return [
                            { action: "kinesis:PutRecords", resource: arn },
                            ...(key ? [{ action: "kms:GenerateDataKey", resource: key, context: { "kms:ViaService": `kinesis.${c.model.region}.amazonaws.com`, "kms:EncryptionContext:aws:kinesis:arn": arn } }] : []),
                        ];
                    });
                },
            },
            {
                call: "sqs:SendMessageBatch",
                actions: ["sqs:SendMessage", "kms:GenerateDataKey", "kms:Decrypt"],
                via: "sdk",
                target: "the dead-letter queue DEAD_LETTER_QUEUE_URL names (sqs:SendMessage authorises a batch, with the queue's key)",
                checks: (c) => {
                    const url = c.environment("DEAD_LETTER_QUEUE_URL");
                    if (url === undefined) return "environment variable DEAD_LETTER_QUEUE_URL is not set";
                    const queue = c.model.ofType("aws:sqs/queue:Queue").find((q) => q.outputs?.url === url || q.id === url);
                    const arn = queue ? c.model.arnOf(queue) : undefined;
                    if (!arn) return `no queue of the plan has the URL ${url}`;
                    return [{ action: "sqs:SendMessage", resource: arn }, ...queueKeyChecks(c.model, arn)];
                },
            },
        ],
    },
    {
        source: "components/streaming/functions/kafka-topics/handler.ts",
        modules: ["components/streaming/functions/kafka-topics/topics.ts"],
        runtime: "lambda",
        handler: "handler.handler",
        reads: ["CLUSTER_ARN", "BOOTSTRAP_BROKERS"],
        // Kafka requests over the IAM listener, authorised as kafka-cluster actions
        // (https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html).
        calls: [
            kafkaCall("kafkajs:connect", ["kafka-cluster:Connect"], "the cluster CLUSTER_ARN names (SASL/OAUTHBEARER with an MSK IAM token)", "cluster"),
            kafkaCall("kafkajs:listTopics", ["kafka-cluster:DescribeTopic"], "the topics the invocations of the function name (Metadata)", "topics"),
            kafkaCall("kafkajs:createTopics", ["kafka-cluster:CreateTopic"], "the topics the invocations of the function name", "topics"),
            kafkaCall("kafkajs:fetchTopicMetadata", ["kafka-cluster:DescribeTopic"], "the topics the invocations of the function name", "topics"),
            kafkaCall("kafkajs:describeConfigs", ["kafka-cluster:DescribeTopicDynamicConfiguration"], "the topics the invocations of the function name", "topics"),
            kafkaCall("kafkajs:createPartitions", ["kafka-cluster:AlterTopic"], "the topics the invocations of the function name", "topics"),
            kafkaCall("kafkajs:alterConfigs", ["kafka-cluster:AlterTopicDynamicConfiguration"], "the topics the invocations of the function name", "topics"),
        ],
    },
    {
        source: "components/warehouse/functions/warehouse-schema/handler.ts",
        modules: ["components/warehouse/functions/warehouse-schema/statements.ts"],
        runtime: "lambda",
        handler: "handler.handler",
        reads: ["WAREHOUSE_KIND", "WAREHOUSE_NAME", "DATABASE", "ADMIN_SECRET_ARN"],
        // The Data API authorises a statement on the cluster or workgroup it runs in, and signs in
        // with the secret it is given, read with the caller's permissions
        // (https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-access.html).
        calls: [
            {
                call: "redshift-data:ExecuteStatement",
                via: "sdk",
                actions: ["redshift-data:ExecuteStatement"],
                target: "the cluster or Serverless workgroup WAREHOUSE_KIND and WAREHOUSE_NAME name (each schema statement)",
                checks: (c) => {
                    const warehouse = schemaWarehouse(c);
                    return typeof warehouse === "string" ? warehouse : [{ action: "redshift-data:ExecuteStatement", resource: warehouse.arn }];
                },
            },
            {
                call: "redshift-data:DescribeStatement",
                via: "sdk",
                actions: ["redshift-data:DescribeStatement"],
                target: "the statements the function ran (no resource-level permissions)",
                checks: () => [{ action: "redshift-data:DescribeStatement", resource: "*" }],
            },
            {
                call: "secretsmanager:GetSecretValue",
                via: "redshift-data (ExecuteStatement with SecretArn: the Data API reads the secret as the caller)",
                actions: ["secretsmanager:GetSecretValue", "kms:Decrypt"],
                target: "the admin secret ADMIN_SECRET_ARN names, decrypted through Secrets Manager with the key its warehouse gave it",
                checks: (c) => {
                    const secret = c.environment("ADMIN_SECRET_ARN");
                    if (secret === undefined) return "environment variable ADMIN_SECRET_ARN is not set";
                    const key = adminSecretKey(c.model, secret);
                    return [
                        { action: "secretsmanager:GetSecretValue", resource: secret },
                        // Secrets Manager's encryption context names the secret (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html).
                        ...(key ? [{ action: "kms:Decrypt", resource: key, context: { "kms:ViaService": `secretsmanager.${c.model.region}.amazonaws.com`, "kms:EncryptionContext:SecretARN": secret } }] : []),
                    ];
                },
            },
        ],
    },
    {
        source: "components/governance/functions/iam-allowed-principals/handler.ts",
        modules: ["components/governance/functions/iam-allowed-principals/revoke.ts"],
        runtime: "lambda",
        handler: "handler.handler",
        reads: ["CATALOG_ID"],
        // Every caller of RevokePermissions, a data lake administrator included, needs the IAM
        // action and Glue read access to the named database or table
        // (https://docs.aws.amazon.com/lake-formation/latest/dg/required-permissions-for-grant.html);
        // Glue decrypts an encrypted catalog's metadata with the caller's use of its key
        // (https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html).
        calls: [
            {
                call: "lakeformation:RevokePermissions",
                via: "sdk",
                actions: ["lakeformation:RevokePermissions", "glue:GetDatabase", "glue:GetTable", "kms:Decrypt"],
                target: "each database, table wildcard and table the invocations of the function name, in the catalog CATALOG_ID names",
                checks: (c) => {
                    const catalog = c.environment("CATALOG_ID");
                    if (catalog === undefined) return "environment variable CATALOG_ID is not set";
                    const request = invokedRevocation(c.model, c.resource, catalog);
                    if (!request) return `no aws.lambda.Invocation of the plan asks ${c.resource.inputs.name ?? c.resource.name} to revoke in catalog ${catalog}`;
                    const glue = `arn:${c.model.partition}:glue:${c.model.region}:${catalog}`;
                    const tables = [...request.databases.map((d) => `${d}/*`), ...request.tables.map((t) => t.replace(".", "/"))];
                    const key = catalogKey(c.model);
                    return [
                        { action: "lakeformation:RevokePermissions", resource: "*" },
                        ...request.databases.flatMap((d) => [`${glue}:catalog`, `${glue}:database/${d}`].map((resource) => ({ action: "glue:GetDatabase", resource }))),
                        ...tables.flatMap((t) => [`${glue}:catalog`, `${glue}:database/${t.split("/")[0]}`, `${glue}:table/${t}`].map((resource) => ({ action: "glue:GetTable", resource }))),
                        ...(key ? [{ action: "kms:Decrypt", resource: key, context: { "kms:ViaService": `glue.${c.model.region}.amazonaws.com` } }] : []),
                    ];
                },
            },
        ],
    },
];

/** What the plan's invocations of a revocation function ask it to revoke in a catalog (`{ "catalogId", "databases", "tables" }` as JSON). */
function invokedRevocation(model: PlanModel, fn: PlannedResource, catalogId: string): { databases: string[]; tables: string[] } | undefined {
    const names = new Set([fn.inputs.name, model.nameOf(fn), model.arnOf(fn)].filter((v): v is string => typeof v === "string"));
    const requests = model.ofType("aws:lambda/invocation:Invocation").flatMap((invocation) => {
        if (!names.has(invocation.inputs.functionName)) return [];
        try {
            const parsed = typeof invocation.inputs.input === "string" ? JSON.parse(invocation.inputs.input) : invocation.inputs.input;
            const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
            return parsed?.catalogId === catalogId ? [{ databases: list(parsed.databases), tables: list(parsed.tables) }] : [];
        } catch {
            return [];
        }
    });
    return requests.length > 0 ? { databases: requests.flatMap((r) => r.databases), tables: requests.flatMap((r) => r.tables) } : undefined;
}

/** The key the plan's Data Catalog encryption settings encrypt metadata with, if the plan sets them. */
function catalogKey(model: PlanModel): string | undefined {
    const settings = model.ofType("aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings")[0];
    const rest = settings?.inputs.dataCatalogEncryptionSettings?.encryptionAtRest;
    return rest?.catalogEncryptionMode === "SSE-KMS" ? model.keyArn(rest.sseAwsKmsKeyId) : undefined;
}

/** The ARN of the warehouse the schema function's environment names, or why there is none. */
function schemaWarehouse(c: CallContext): { arn: string } | string {
    const kind = c.environment("WAREHOUSE_KIND");
    const name = c.environment("WAREHOUSE_NAME");
    if (kind === undefined || name === undefined) return "environment variables WAREHOUSE_KIND and WAREHOUSE_NAME are not both set";
    const warehouse =
        kind === "cluster"
            ? c.model.ofType("aws:redshift/cluster:Cluster").find((w) => w.inputs.clusterIdentifier === name)
            : c.model.ofType("aws:redshiftserverless/workgroup:Workgroup").find((w) => w.inputs.workgroupName === name);
    const arn = warehouse ? c.model.arnOf(warehouse) : undefined;
    return arn ? { arn } : `no ${kind === "cluster" ? "cluster" : "workgroup"} of the plan is named ${name}`;
}

/** The key a plan's warehouse encrypts the admin secret it manages with (a managed secret's ARN is known once the warehouse exists). */
function adminSecretKey(model: PlanModel, secretArn: string): string | undefined {
    const cluster = model.ofType("aws:redshift/cluster:Cluster").find((w) => w.outputs?.masterPasswordSecretArn === secretArn);
    if (cluster) return model.keyArn(cluster.inputs.masterPasswordSecretKmsKeyId);
    const namespace = model.ofType("aws:redshiftserverless/namespace:Namespace").find((n) => n.outputs?.adminPasswordSecretArn === secretArn);
    return namespace ? model.keyArn(namespace.inputs.adminPasswordSecretKmsKeyId) : undefined;
}

/** A Kafka admin request of a function whose environment names its cluster, on the cluster or on the topics its invocations declare. */
function kafkaCall(call: string, actions: string[], target: string, on: "cluster" | "topics"): CodeCall {
    return {
        call,
        via: "sdk",
        actions,
        target,
        checks: (c) => {
            const cluster = c.environment("CLUSTER_ARN");
            if (cluster === undefined) return "environment variable CLUSTER_ARN is not set";
            if (on === "cluster") return actions.map((action) => ({ action, resource: cluster }));
            const topics = invokedTopics(c.model, c.resource, cluster);
            if (topics.length === 0) return `no aws.lambda.Invocation of the plan asks ${c.resource.inputs.name ?? c.resource.name} for topics on ${cluster}`;
            return topics.flatMap((topic) => actions.map((action) => ({ action, resource: kafkaTopicArn(cluster, topic) })));
        },
    };
}

/** The cluster and topics of a topic-creation request (`{ "clusterArn": …, "topics": [{ "name": … }] }`, as JSON text or an object). */
export function topicRequest(input: unknown): { clusterArn?: string; topics: string[] } | undefined {
    try {
        const parsed = typeof input === "string" ? JSON.parse(input) : input;
        if (!parsed || typeof parsed !== "object" || !Array.isArray(parsed.topics)) return undefined;
        return { clusterArn: typeof parsed.clusterArn === "string" ? parsed.clusterArn : undefined, topics: parsed.topics.map((t: any) => String(t?.name ?? "")).filter(Boolean) };
    } catch {
        return undefined;
    }
}

/** The topics the plan's invocations of a function ask it to create on a cluster. */
export function invokedTopics(model: PlanModel, fn: PlannedResource, clusterArn: string): string[] {
    const names = new Set([fn.inputs.name, model.nameOf(fn), model.arnOf(fn)].filter((v): v is string => typeof v === "string"));
    return model.ofType("aws:lambda/invocation:Invocation").flatMap((invocation) => {
        const request = names.has(invocation.inputs.functionName) ? topicRequest(invocation.inputs.input) : undefined;
        return request?.clusterArn === clusterArn ? request.topics : [];
    });
}

/** `arn:…:cluster/<name>/<uuid>` + topic → `arn:…:topic/<name>/<uuid>/<topic>`. */
export function kafkaTopicArn(clusterArn: string, topic: string): string {
    return `${clusterArn.replace(":cluster/", ":topic/")}/${topic}`;
}

/** Reading one object: GetObject, and Decrypt of its key through S3 (the key it was uploaded with, else the bucket's). */
function readObject(model: PlanModel, bucket: string, key: string): AccessCheck[] {
    const object = [...model.ofType("aws:s3/bucketObjectv2:BucketObjectv2"), ...model.ofType("aws:s3/bucketObject:BucketObject")].find((o) => o.inputs.bucket === bucket && o.inputs.key === key);
    return [{ action: "s3:GetObject", resource: s3Arn(model.partition, bucket, key) }, ...kmsViaS3(model, bucket, key, ["kms:Decrypt"], object ? model.keyArn(object.inputs.kmsKeyId) : undefined)];
}

/** Writing an object under the bucket's default encryption: PutObject, and a data key through S3. */
function writeObject(model: PlanModel, bucket: string, key: string): AccessCheck[] {
    return [{ action: "s3:PutObject", resource: s3Arn(model.partition, bucket, key) }, ...kmsViaS3(model, bucket, key, ["kms:GenerateDataKey"])];
}

/** A Glue catalog action on the job's source and target tables: authorised on the catalog, the database and the table. */
function catalogChecks(c: CallContext, action: string, sides: ("source" | "target")[] = ["source", "target"]): AccessCheck[] | string {
    const base = `arn:${c.model.partition}:glue:${c.model.region}:${c.model.accountId}`;
    const checks: AccessCheck[] = [];
    for (const side of sides) {
        const [database, table] = [`${side}_database`, `${side}_table`];
        const db = c.argument(arg(database));
        const name = c.argument(arg(table));
        if (db === undefined || name === undefined) return `argument ${arg(db === undefined ? database : table)} is not set`;
        checks.push({ action, resource: `${base}:catalog` }, { action, resource: `${base}:database/${db}` }, { action, resource: `${base}:table/${db}/${name}` });
    }
    return checks;
}

function rulesetArn(model: PlanModel, name: string): string {
    return `arn:${model.partition}:glue:${model.region}:${model.accountId}:dataQualityRuleset/${name}`;
}

/** The code table entries a planned Glue job or Lambda function runs. */
export function codeOf(model: PlanModel, resource: PlannedResource): CodeEntry[] {
    if (resource.type === "aws:glue/job:Job") {
        const script = parseS3Url(resource.inputs.command?.scriptLocation);
        if (!script) return [];
        const object = [...model.ofType("aws:s3/bucketObjectv2:BucketObjectv2"), ...model.ofType("aws:s3/bucketObject:BucketObject")].find(
            (o) => o.inputs.bucket === script.bucket && o.inputs.key === script.key,
        );
        const asset = String(object?.inputs.source?.asset ?? object?.inputs.source?.path ?? "");
        return CODE_CALLS.filter((e) => e.runtime === "glue-job" && (asset ? asset.replace(/\\/g, "/").endsWith(e.source) : path.posix.basename(script.key) === path.posix.basename(e.source)));
    }
    if (resource.type === "aws:lambda/function:Function") {
        const variables = resource.inputs.environment?.variables ?? {};
        return CODE_CALLS.filter((e) => e.runtime === "lambda" && e.handler === resource.inputs.handler && e.reads.every((name) => name in variables));
    }
    return [];
}

/** The context a call's target is resolved in. */
export function callContext(model: PlanModel, resource: PlannedResource): CallContext {
    const args: Record<string, unknown> = resource.inputs.defaultArguments ?? {};
    const variables: Record<string, unknown> = resource.inputs.environment?.variables ?? {};
    const text = (value: unknown) => (typeof value === "string" ? value : undefined);
    return { model, resource, argument: (name) => text(args[name]), environment: (name) => text(variables[name]) };
}
