import { parseArn, s3Arn } from "../arn";
import type { PlanModel } from "../model";
import type { PlannedResource } from "../plan";
import { assumeRole, catalogChecks, kmsViaS3, logGroupArn, staticPrefix } from "./common";
import type { HopSpec, Requirement } from "./types";

const TYPE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
const ACCESS_DOC = "https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html";

/** The domain a delivery stream serves: the table its records are converted to, else its name. */
export function firehoseDomain(resource: PlannedResource): string {
    return String(resource.inputs.extendedS3Configuration?.dataFormatConversionConfiguration?.schemaConfiguration?.tableName ?? resource.inputs.name ?? resource.name);
}

function destination(resource: PlannedResource) {
    const s3 = resource.inputs.extendedS3Configuration;
    if (!s3?.bucketArn || !s3?.roleArn) return undefined;
    return { s3, bucket: String(parseArn(s3.bucketArn)?.resource), roleArn: String(s3.roleArn) };
}

function spec(resource: PlannedResource, requirement: string, hop: string, principal: string, checks: HopSpec["checks"], fix: string): HopSpec {
    return { requirement, domain: firehoseDomain(resource), hop, principal, checks, fix, urn: resource.urn };
}

export const firehoseRequirements: Requirement[] = [
    {
        id: "firehose.source-stream",
        resourceType: TYPE,
        summary: "The source role reads the Kinesis stream: DescribeStream, GetShardIterator, GetRecords, ListShards (and Firehose may assume it).",
        doc: `${ACCESS_DOC}#using-iam-kinesis`,
        hops: (r, model) => {
            const source = r.inputs.kinesisSourceConfiguration;
            if (!source?.kinesisStreamArn || !source?.roleArn) return [];
            const stream = String(source.kinesisStreamArn);
            return [
                spec(r, "firehose.source-stream", "Firehose reads its source stream", "firehose.amazonaws.com", [assumeRole(model, source.roleArn, model.arnOf(r))], "let firehose.amazonaws.com assume the source role (trust policy, aws:SourceAccount)"),
                spec(
                    r,
                    "firehose.source-stream",
                    "Firehose reads its source stream",
                    source.roleArn,
                    ["kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"].map((action) => ({ action, resource: stream })),
                    `allow the source role kinesis:DescribeStream, GetShardIterator, GetRecords and ListShards on ${stream}`,
                ),
            ];
        },
    },
    {
        id: "firehose.source-stream-key",
        resourceType: TYPE,
        summary: "The source role decrypts the stream's records with the stream's customer-managed key (kms:Decrypt via Kinesis).",
        doc: "https://docs.aws.amazon.com/firehose/latest/dev/encryption.html",
        hops: (r, model) => {
            const source = r.inputs.kinesisSourceConfiguration;
            const stream = model.findByArn(source?.kinesisStreamArn);
            const keyArn = stream?.inputs.encryptionType === "KMS" ? model.keyArn(stream.inputs.kmsKeyId) : undefined;
            if (!source?.roleArn || !keyArn) return [];
            return [
                spec(
                    r,
                    "firehose.source-stream-key",
                    "Firehose decrypts its source stream",
                    source.roleArn,
                    [{ action: "kms:Decrypt", resource: keyArn, context: { "kms:ViaService": `kinesis.${model.region}.amazonaws.com`, "kms:EncryptionContext:aws:kinesis:arn": String(source.kinesisStreamArn) } }],
                    `allow the source role kms:Decrypt on the stream's key ${keyArn}, and let the key policy delegate to IAM`,
                ),
            ];
        },
    },
    {
        id: "firehose.msk-source",
        resourceType: TYPE,
        summary:
            "The MSK source role connects to the cluster and reads the topic (kafka-cluster:Connect, DescribeTopic, ReadData, DescribeGroup…), and the cluster policy lets Firehose create its private connection.",
        doc: `${ACCESS_DOC}#access-to-msk`,
        hops: (r, model) => {
            const source = r.inputs.mskSourceConfiguration;
            const role = source?.authenticationConfiguration?.roleArn;
            if (!source?.mskClusterArn || !role) return [];
            const cluster = parseArn(source.mskClusterArn);
            const [, clusterName, clusterUuid] = String(cluster?.resource).split("/");
            const base = `arn:${model.partition}:kafka:${cluster?.region}:${cluster?.account}`;
            const topic = `${base}:topic/${clusterName}/${clusterUuid}/${source.topicName}`;
            const group = `${base}:group/${clusterName}/${clusterUuid}/*`;
            const hops = [
                spec(r, "firehose.msk-source", "Firehose reads its MSK topic", "firehose.amazonaws.com", [assumeRole(model, role, model.arnOf(r))], "let firehose.amazonaws.com assume the MSK source role"),
                spec(
                    r,
                    "firehose.msk-source",
                    "Firehose reads its MSK topic",
                    role,
                    [
                        ...["kafka:GetBootstrapBrokers", "kafka:DescribeCluster", "kafka:DescribeClusterV2", "kafka-cluster:Connect"].map((action) => ({ action, resource: String(source.mskClusterArn) })),
                        ...["kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration", "kafka-cluster:ReadData"].map((action) => ({ action, resource: topic })),
                        { action: "kafka-cluster:DescribeGroup", resource: group },
                    ],
                    `allow the MSK source role to connect to the cluster and read topic ${source.topicName}`,
                ),
            ];
            if (source.authenticationConfiguration?.connectivity === "PRIVATE") {
                hops.push(
                    spec(
                        r,
                        "firehose.msk-source",
                        "Firehose connects privately to its MSK cluster",
                        "firehose.amazonaws.com",
                        // GetBootstrapBrokers has no resource type (the Service Authorization Reference): the role's
                        // policy must grant it on "*", and a cluster policy cannot scope it, so it is checked there.
                        ["kafka:CreateVpcConnection", "kafka:DescribeCluster", "kafka:DescribeClusterV2"].map((action) => ({ action, resource: String(source.mskClusterArn) })),
                        "add a cluster policy letting firehose.amazonaws.com CreateVpcConnection and DescribeCluster(V2)",
                    ),
                );
            }
            return hops;
        },
    },
    {
        id: "firehose.destination-bucket",
        resourceType: TYPE,
        summary: "The delivery role writes under the prefix and error prefix of the destination bucket (PutObject, GetObject, ListBucket, multipart) through the bucket policy.",
        doc: `${ACCESS_DOC}#using-iam-s3`,
        hops: (r, model) => {
            const dest = destination(r);
            if (!dest) return [];
            const bucketArn = s3Arn(model.partition, dest.bucket);
            const objects = [staticPrefix(String(dest.s3.prefix ?? "")), staticPrefix(String(dest.s3.errorOutputPrefix ?? ""))].map((p) => s3Arn(model.partition, dest.bucket, `${p}delivery-0001.parquet`));
            return [
                spec(r, "firehose.destination-bucket", "Firehose writes the destination bucket", "firehose.amazonaws.com", [assumeRole(model, dest.roleArn, model.arnOf(r))], "let firehose.amazonaws.com assume the delivery role"),
                spec(
                    r,
                    "firehose.destination-bucket",
                    "Firehose writes the destination bucket",
                    dest.roleArn,
                    [
                        ...["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"].map((action) => ({ action, resource: bucketArn })),
                        ...objects.flatMap((resource) => ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"].map((action) => ({ action, resource }))),
                    ],
                    `allow the delivery role to write ${bucketArn} under its prefixes (identity policy and bucket policy)`,
                ),
            ];
        },
    },
    {
        id: "firehose.destination-key",
        resourceType: TYPE,
        summary: "The delivery role generates and decrypts data keys of the destination key through S3 (kms:GenerateDataKey, kms:Decrypt with kms:ViaService and the S3 encryption context).",
        doc: `${ACCESS_DOC}#using-iam-s3`,
        hops: (r, model) => {
            const dest = destination(r);
            if (!dest) return [];
            const key = model.keyArn(dest.s3.kmsKeyArn);
            const checks = kmsViaS3(model, dest.bucket, `${staticPrefix(String(dest.s3.prefix ?? ""))}delivery-0001.parquet`, ["kms:GenerateDataKey", "kms:Decrypt"], key);
            if (checks.length === 0) return [];
            return [spec(r, "firehose.destination-key", "Firehose encrypts what it writes", dest.roleArn, checks, `allow the delivery role kms:GenerateDataKey and kms:Decrypt on ${checks[0].resource} via S3`)];
        },
    },
    {
        id: "firehose.schema-table",
        resourceType: TYPE,
        summary: "The conversion role reads the schema table: glue:GetTable, GetTableVersion, GetTableVersions on the catalog, database and table.",
        doc: `${ACCESS_DOC}#using-iam-glue`,
        hops: (r, model) => {
            const schema = r.inputs.extendedS3Configuration?.dataFormatConversionConfiguration?.schemaConfiguration;
            if (!schema?.roleArn || !schema.databaseName || !schema.tableName || r.inputs.extendedS3Configuration.dataFormatConversionConfiguration.enabled === false) return [];
            return [
                spec(
                    r,
                    "firehose.schema-table",
                    "Firehose reads its conversion schema",
                    schema.roleArn,
                    catalogChecks(model, schema.databaseName, schema.tableName, ["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"]),
                    `allow the conversion role glue:GetTable, GetTableVersion and GetTableVersions on ${schema.databaseName}.${schema.tableName}`,
                ),
            ];
        },
    },
    {
        id: "firehose.error-log",
        resourceType: TYPE,
        summary: "The delivery role writes delivery errors to its log stream (logs:PutLogEvents).",
        doc: `${ACCESS_DOC}#using-iam-s3`,
        hops: (r, model) => {
            const dest = destination(r);
            const logging = dest?.s3.cloudwatchLoggingOptions;
            if (!dest || !logging?.enabled || !logging.logGroupName) return [];
            return [
                spec(
                    r,
                    "firehose.error-log",
                    "Firehose logs delivery errors",
                    dest.roleArn,
                    [{ action: "logs:PutLogEvents", resource: logGroupArn(model, logging.logGroupName, logging.logStreamName ?? "DestinationDelivery") }],
                    `allow the delivery role logs:PutLogEvents on ${logging.logGroupName}`,
                ),
            ];
        },
    },
];

/** Delivery streams of the plan (the lineage checks read them too). */
export function deliveryStreams(model: PlanModel): PlannedResource[] {
    return model.ofType(TYPE);
}
