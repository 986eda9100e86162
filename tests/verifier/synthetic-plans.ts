/**
 * Small hand-written plans, in the shape `npm run plan -- --json` records, for requirement-table
 * entries the shipped stacks do not exercise: another team's program using a Firehose MSK source,
 * a schedule with a dead-letter queue, an encrypted queue with producers and so on.
 */
import type { PlannedResource, PlannedStack } from "../../verifier/plan";

export const ACCOUNT = "111122223333";
export const REGION = "eu-west-1";
const base = `${REGION}:${ACCOUNT}`;

function resource(type: string, name: string, inputs: Record<string, any>, outputs: Record<string, any> = {}): PlannedResource {
    return { urn: `urn:pulumi:test::team::${type}::${name}`, type, name, custom: true, parent: null, inputs, id: name, outputs };
}

function plan(resources: PlannedResource[]): PlannedStack {
    return { project: "team", stack: "test", resources, outputs: {} };
}

const document = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

/** A role that `service` may assume, with one inline policy of `statements`. */
function role(name: string, service: string, statements: object[]): PlannedResource[] {
    return [
        resource(
            "aws:iam/role:Role",
            name,
            { name, assumeRolePolicy: document([{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } }]) },
            { arn: `arn:aws:iam::${ACCOUNT}:role/${name}` },
        ),
        resource("aws:iam/rolePolicy:RolePolicy", `${name}-policy`, { name: `${name}-policy`, role: name, policy: document(statements) }),
    ];
}

/** A customer-managed key whose policy delegates to IAM and adds `statements`. */
function key(name: string, statements: object[] = []): PlannedResource {
    const id = `${name}-0000-0000-0000-000000000000`;
    return resource(
        "aws:kms/key:Key",
        name,
        { policy: document([{ Sid: "AccountAdministersKeyThroughIam", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }, ...statements]) },
        { arn: `arn:aws:kms:${base}:key/${id}`, keyId: id },
    );
}

const keyArn = (name: string) => `arn:aws:kms:${base}:key/${name}-0000-0000-0000-000000000000`;
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

/** An encrypted queue with one producer and one consumer role. */
function encryptedQueue(): PlannedStack {
    const queueArn = `arn:aws:sqs:${base}:orders`;
    return plan([
        key("queue-key"),
        resource("aws:sqs/queue:Queue", "orders", { name: "orders", kmsMasterKeyId: keyArn("queue-key") }, { arn: queueArn, url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/orders` }),
        ...role("producer", "lambda.amazonaws.com", [
            { Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArn },
            { Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: keyArn("queue-key") },
        ]),
        ...role("consumer", "lambda.amazonaws.com", [
            { Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage"], Resource: queueArn },
            { Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn("queue-key") },
        ]),
    ]);
}

/**
 * A governed lake another team might write: a catalog table in a registered location, LF-Tags on
 * its database and on its PII column, a persona role outside the plan granted SELECT by a tag
 * expression, and an Athena workgroup whose results go to an encrypted bucket, with a managed
 * policy the plan attaches to the persona's role by name.
 */
export function governedLake(): PlannedStack {
    const workgroup = `arn:aws:athena:${base}:workgroup/analysts`;
    const catalog = `arn:aws:glue:${base}`;
    const statements = [
        { Sid: "Results", Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:GetObject", "s3:PutObject"], Resource: ["arn:aws:s3:::query-results", "arn:aws:s3:::query-results/*"] },
        { Sid: "ResultsKey", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: keyArn("results-key") },
        { Sid: "Catalog", Effect: "Allow", Action: ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"], Resource: [`${catalog}:catalog`, `${catalog}:database/sales`, `${catalog}:table/sales/*`] },
        { Sid: "CatalogKey", Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn("lake-key") },
        { Sid: "LakeFormation", Effect: "Allow", Action: "lakeformation:GetDataAccess", Resource: "*" },
        { Sid: "Workgroup", Effect: "Allow", Action: ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:StopQueryExecution", "athena:GetWorkGroup"], Resource: workgroup },
    ];
    return plan([
        key("lake-key"),
        key("results-key"),
        resource("aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings", "catalog", { dataCatalogEncryptionSettings: { encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: keyArn("lake-key") } } }),
        resource("aws:s3/bucket:Bucket", "lake", { bucket: "lake" }, { arn: "arn:aws:s3:::lake" }),
        resource("aws:s3/bucket:Bucket", "query-results", { bucket: "query-results" }, { arn: "arn:aws:s3:::query-results" }),
        resource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "query-results", {
            bucket: "query-results",
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn("results-key") }, bucketKeyEnabled: true }],
        }),
        ...role("lf-registration", "lakeformation.amazonaws.com", [
            { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::lake" },
            { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: "arn:aws:s3:::lake/*" },
        ]),
        resource("aws:lakeformation/resource:Resource", "lake", { arn: "arn:aws:s3:::lake", roleArn: roleArn("lf-registration") }),
        resource("aws:glue/catalogTable:CatalogTable", "orders", {
            databaseName: "sales",
            name: "orders",
            storageDescriptor: { location: "s3://lake/orders/", columns: [{ name: "order_id", type: "string" }, { name: "email", type: "string" }, { name: "amount", type: "double" }] },
            partitionKeys: [{ name: "day", type: "string" }],
        }),
        resource("aws:lakeformation/resourceLfTags:ResourceLfTags", "sales", { database: { name: "sales" }, lfTags: [{ key: "zone", value: "curated" }, { key: "classification", value: "internal" }] }),
        resource("aws:lakeformation/resourceLfTags:ResourceLfTags", "orders-email", { tableWithColumns: { databaseName: "sales", name: "orders", columnNames: ["email"] }, lfTags: [{ key: "classification", value: "pii" }] }),
        resource("aws:lakeformation/permissions:Permissions", "analysts-read", {
            principal: roleArn("Analysts"),
            permissions: ["SELECT", "DESCRIBE"],
            lfTagPolicy: { resourceType: "TABLE", expressions: [{ key: "zone", values: ["curated"] }, { key: "classification", values: ["public", "internal"] }] },
        }),
        resource("aws:athena/workgroup:Workgroup", "analysts", {
            name: "analysts",
            configuration: { enforceWorkgroupConfiguration: true, resultConfiguration: { outputLocation: "s3://query-results/analysts/", encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: keyArn("results-key") } } },
        }, { arn: workgroup }),
        resource("aws:iam/policy:Policy", "analysts-athena", { name: "analysts-athena", policy: document(statements) }, { arn: `arn:aws:iam::${ACCOUNT}:policy/analysts-athena` }),
        resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "analysts-athena", { role: "Analysts", policyArn: `arn:aws:iam::${ACCOUNT}:policy/analysts-athena` }),
    ]);
}

/** Synthetic plans by the requirement they exercise. */
export const SYNTHETIC_PLANS: Record<string, () => PlannedStack> = {
    "firehose.msk-source": () => {
        const cluster = `arn:aws:kafka:${base}:cluster/events/abcd-1234-5`;
        return plan([
            resource("aws:msk/cluster:Cluster", "events", { clusterName: "events" }, { arn: cluster }),
            resource("aws:msk/clusterPolicy:ClusterPolicy", "events", {
                clusterArn: cluster,
                policy: document([
                    { Effect: "Allow", Principal: { Service: "firehose.amazonaws.com" }, Action: ["kafka:CreateVpcConnection", "kafka:GetBootstrapBrokers", "kafka:DescribeCluster", "kafka:DescribeClusterV2"], Resource: cluster },
                ]),
            }),
            ...role("msk-source", "firehose.amazonaws.com", [
                { Effect: "Allow", Action: ["kafka:DescribeCluster", "kafka:DescribeClusterV2", "kafka-cluster:Connect"], Resource: cluster },
                { Effect: "Allow", Action: "kafka:GetBootstrapBrokers", Resource: "*" },
                { Effect: "Allow", Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration", "kafka-cluster:ReadData"], Resource: `arn:aws:kafka:${base}:topic/events/abcd-1234-5/orders` },
                { Effect: "Allow", Action: "kafka-cluster:DescribeGroup", Resource: `arn:aws:kafka:${base}:group/events/abcd-1234-5/*` },
            ]),
            resource(
                "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
                "orders-to-lake",
                { name: "orders-to-lake", destination: "extended_s3", mskSourceConfiguration: { mskClusterArn: cluster, topicName: "orders", authenticationConfiguration: { roleArn: roleArn("msk-source"), connectivity: "PRIVATE" } } },
                { arn: `arn:aws:firehose:${base}:deliverystream/orders-to-lake` },
            ),
        ]);
    },
    "states.other-tasks": () => {
        const fn = `arn:aws:lambda:${base}:function:enrich`;
        return plan([
            ...role("pipeline", "states.amazonaws.com", [
                { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: fn },
                { Effect: "Allow", Action: "dynamodb:PutItem", Resource: `arn:aws:dynamodb:${base}:table/runs` },
            ]),
            resource(
                "aws:sfn/stateMachine:StateMachine",
                "pipeline",
                {
                    name: "pipeline",
                    roleArn: roleArn("pipeline"),
                    definition: JSON.stringify({
                        StartAt: "Enrich",
                        States: {
                            Enrich: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: fn, "Payload.$": "$" }, Next: "Record" },
                            Record: { Type: "Task", Resource: "arn:aws:states:::dynamodb:putItem", Parameters: { TableName: "runs", Item: { id: { "S.$": "$$.Execution.Id" } } }, End: true },
                        },
                    }),
                },
                { arn: `arn:aws:states:${base}:stateMachine:pipeline` },
            ),
        ]);
    },
    "scheduler.dead-letter-queue": () => {
        const dlq = `arn:aws:sqs:${base}:schedule-dlq`;
        return plan([
            key("dlq-key"),
            resource("aws:sqs/queue:Queue", "schedule-dlq", { name: "schedule-dlq", kmsMasterKeyId: keyArn("dlq-key") }, { arn: dlq }),
            ...role("scheduler", "scheduler.amazonaws.com", [
                { Effect: "Allow", Action: "sqs:SendMessage", Resource: dlq },
                { Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: keyArn("dlq-key") },
            ]),
            resource("aws:cloudwatch/metricAlarm:MetricAlarm", "schedule-dlq-not-empty", {
                name: "schedule-dlq-not-empty",
                namespace: "AWS/SQS",
                metricName: "ApproximateNumberOfMessagesVisible",
                dimensions: { QueueName: "schedule-dlq" },
            }),
            resource("aws:scheduler/schedule:Schedule", "nightly", { name: "nightly", target: { arn: `arn:aws:lambda:${base}:function:x`, roleArn: roleArn("scheduler"), deadLetterConfig: { arn: dlq } } }, { arn: `arn:aws:scheduler:${base}:schedule/default/nightly` }),
        ]);
    },
    "cloudtrail.key": () => {
        const trailArn = `arn:aws:cloudtrail:${base}:trail/audit`;
        const source = { StringEquals: { "aws:SourceArn": trailArn } };
        return plan([
            key("trail-key", [
                { Sid: "CloudTrailDescribesKey", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:DescribeKey", Resource: "*", Condition: source },
                {
                    Sid: "CloudTrailEncrypts",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "kms:GenerateDataKey*",
                    Resource: "*",
                    Condition: { ...source, StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` } },
                },
                { Sid: "CloudTrailDecryptsForBucketKey", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:Decrypt", Resource: "*", Condition: source },
            ]),
            resource("aws:s3/bucket:Bucket", "audit-logs", { bucket: "audit-logs" }, { arn: "arn:aws:s3:::audit-logs" }),
            resource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "audit-logs", {
                bucket: "audit-logs",
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn("trail-key") }, bucketKeyEnabled: true }],
            }),
            resource("aws:cloudtrail/trail:Trail", "audit", { name: "audit", s3BucketName: "audit-logs", kmsKeyId: keyArn("trail-key") }, { arn: trailArn }),
        ]);
    },
    "sqs.producers-and-consumers": encryptedQueue,
    "athena.persona-workgroup": governedLake,
    "kinesis.producers-key": () => {
        const stream = `arn:aws:kinesis:${base}:stream/clicks`;
        return plan([
            key("stream-key"),
            resource("aws:kinesis/stream:Stream", "clicks", { name: "clicks", encryptionType: "KMS", kmsKeyId: keyArn("stream-key") }, { arn: stream }),
            ...role("writer", "lambda.amazonaws.com", [
                { Effect: "Allow", Action: ["kinesis:PutRecord", "kinesis:PutRecords"], Resource: stream },
                { Effect: "Allow", Action: "kms:GenerateDataKey", Resource: keyArn("stream-key") },
            ]),
        ]);
    },
};
