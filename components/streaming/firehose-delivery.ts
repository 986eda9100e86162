import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { firehoseErrorPrefix, firehoseRawPrefix } from "../../lib/layout";
import { partitionKeyQuery } from "../../lib/firehose-partitions";
import { createEncryptedLogGroup } from "../shared/log-group";
import { type AccountContext, glueCatalogArn } from "../shared/naming";
import type { DataProtection } from "../shared/protection";
import { createServiceRole } from "../shared/service-role";
import { kafkaResourceArn } from "./kafka-arns";

/** The Glue table whose schema Firehose converts records to. */
export interface SchemaTable {
    /** Glue database of the table. */
    databaseName: pulumi.Input<string>;
    /** Glue table whose columns the records are converted to. */
    tableName: pulumi.Input<string>;
}

/** The source of a delivery stream. */
export type FirehoseSource =
    | {
          kind: "kinesis";
          /** Source stream ARN. */
          streamArn: pulumi.Input<string>;
          /** Key the stream is encrypted with (Firehose decrypts records with it). */
          streamKeyArn: pulumi.Input<string>;
      }
    | {
          kind: "msk";
          /** Cluster ARN (its cluster policy must let Firehose create a VPC connection). */
          clusterArn: pulumi.Input<string>;
          /** Topic to read. */
          topic: string;
          /**
           * What must exist before the stream is created: the topic (the cluster creates none
           * implicitly) and the cluster policy (without it the stream fails with
           * `CREATE_PRIVATE_LINK_FAILED`). The stream reads from its first moment, so it waits for both.
           */
          sourceReady: pulumi.Resource[];
      };

/**
 * What a role reading a topic over IAM needs (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#access-to-msk):
 * the cluster's description and bootstrap brokers, a connection, and read on the topic and the
 * consumer groups. `GetBootstrapBrokers` has no resource type, so it is granted on "*".
 */
function mskReadStatements(clusterArn: pulumi.Input<string>, topic: string) {
    const scoped = (kind: "topic" | "group", suffix: string) => kafkaResourceArn(clusterArn, kind, suffix);
    return [
        { Sid: "FindBrokers", Effect: "Allow" as const, Action: ["kafka:GetBootstrapBrokers"], Resource: "*" },
        { Sid: "ConnectToCluster", Effect: "Allow" as const, Action: ["kafka:DescribeCluster", "kafka:DescribeClusterV2", "kafka-cluster:Connect"], Resource: clusterArn },
        { Sid: "ReadTopic", Effect: "Allow" as const, Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration", "kafka-cluster:ReadData"], Resource: scoped("topic", topic) },
        { Sid: "UseConsumerGroups", Effect: "Allow" as const, Action: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"], Resource: scoped("group", "*") },
    ];
}

/** Arguments of {@link FirehoseDelivery}. */
export interface FirehoseDeliveryArgs {
    /** Delivery stream name. */
    deliveryStreamName: string;
    /** Domain name: the first key prefix segment in the raw zone. */
    domain: string;
    /**
     * Where records come from: a Kinesis stream (and the key it is encrypted with), or a topic of an
     * MSK cluster (provisioned or Serverless) read with IAM authentication over private connectivity.
     */
    source: FirehoseSource;
    /** Raw-zone bucket ARN. */
    rawBucketArn: pulumi.Input<string>;
    /** Lake key: objects are written SSE-KMS with it. */
    lakeKeyArn: pulumi.Input<string>;
    /** Schema of the records, for Parquet conversion. */
    schema: SchemaTable;
    /**
     * Record field to partition the prefixes by (dynamic partitioning); absent = time only.
     * @default undefined
     */
    partitionKey?: string;
    /**
     * The values `partitionKey` may take; a record with any other lands under `_other`, so the
     * stream's active partitions stay bounded (lib/firehose-partitions.ts).
     * @default any value (the key's cardinality is bounded by its producers)
     */
    partitionValues?: readonly string[];
    /** Buffer size in MiB (64-128 with format conversion). */
    bufferSizeMib: number;
    /** Buffer interval in seconds (60-900). */
    bufferIntervalSeconds: number;
    /** Operations key and retention for the error log group. */
    logging: { kmsKeyArn: pulumi.Input<string>; retentionDays: number; logGroupName: string };
    /**
     * Fixed name of the delivery role (Lake Formation grants and the drift audit refer to it).
     * @default auto-named
     */
    roleName?: string;
    /** Account, partition and Region the role's ARNs are written for. */
    account: AccountContext;
    /** Protection of the error log group. */
    protection: DataProtection;
}


/**
 * Firehose from a Kinesis stream or an MSK topic into the raw zone: records converted to Parquet
 * through the domain's Glue table, written in the domain's raw layout (lib/layout.ts) with an
 * error prefix, encrypted with the lake key, buffered for files of about 128 MB, and errors logged
 * to an encrypted log group. With a Kinesis source, records stay encrypted at rest by the stream's
 * own key; with an MSK source, Firehose connects privately with IAM authentication.
 */
export class FirehoseDelivery extends pulumi.ComponentResource {
    /** Delivery stream name. */
    public readonly deliveryStreamName: pulumi.Output<string>;
    /** Delivery stream ARN. */
    public readonly arn: pulumi.Output<string>;
    /** Role Firehose uses; governance grants it DESCRIBE on its schema table. */
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: FirehoseDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:streaming:FirehoseDelivery", name, {}, opts);
        const { account, source } = args;
        const child = { parent: this };

        const logGroup = createEncryptedLogGroup(
            name,
            { logGroupName: args.logging.logGroupName, kmsKeyArn: args.logging.kmsKeyArn, retentionDays: args.logging.retentionDays, protection: args.protection },
            child,
        );
        const logStream = new aws.cloudwatch.LogStream(name, { logGroupName: logGroup.name, name: "DestinationDelivery" }, child);

        const catalogArn = glueCatalogArn(account);
        const role = createServiceRole(
            `${name}-delivery`,
            {
                roleName: args.roleName,
                description: `Firehose ${args.deliveryStreamName}: reads its ${source.kind === "kinesis" ? "stream" : "topic"}, writes Parquet to the raw zone`,
                service: "firehose.amazonaws.com",
                account,
                statements: [
                    ...(source.kind === "kinesis"
                        ? [
                              {
                                  Sid: "ReadSourceStream",
                                  Effect: "Allow" as const,
                                  Action: ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"],
                                  Resource: source.streamArn,
                              },
                              { Sid: "DecryptSourceStream", Effect: "Allow" as const, Action: ["kms:Decrypt"], Resource: source.streamKeyArn },
                          ]
                        : mskReadStatements(source.clusterArn, source.topic)),
                    {
                        Sid: "WriteRawZone",
                        Effect: "Allow",
                        Action: ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"],
                        Resource: [args.rawBucketArn, pulumi.interpolate`${args.rawBucketArn}/${args.domain}/*`, pulumi.interpolate`${args.rawBucketArn}/_errors/${args.domain}/*`],
                    },
                    { Sid: "EncryptWithLakeKey", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: args.lakeKeyArn },
                    {
                        Sid: "ReadSchemaTable",
                        Effect: "Allow",
                        Action: ["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"],
                        Resource: [
                            pulumi.interpolate`${catalogArn}:catalog`,
                            pulumi.interpolate`${catalogArn}:database/${args.schema.databaseName}`,
                            pulumi.interpolate`${catalogArn}:table/${args.schema.databaseName}/${args.schema.tableName}`,
                        ],
                    },
                    { Sid: "WriteErrorLogs", Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: pulumi.interpolate`${logGroup.arn}:*` },
                ],
            },
            child,
        );

        const layout = { name: args.domain, partitionKey: args.partitionKey };
        const delivery = new aws.kinesis.FirehoseDeliveryStream(
            name,
            {
                name: args.deliveryStreamName,
                destination: "extended_s3",
                ...(source.kind === "kinesis"
                    ? { kinesisSourceConfiguration: { kinesisStreamArn: source.streamArn, roleArn: role.arn } }
                    : {
                          mskSourceConfiguration: {
                              mskClusterArn: source.clusterArn,
                              topicName: source.topic,
                              authenticationConfiguration: { roleArn: role.arn, connectivity: "PRIVATE" },
                          },
                      }),
                extendedS3Configuration: {
                    roleArn: role.arn,
                    bucketArn: args.rawBucketArn,
                    prefix: firehoseRawPrefix(layout),
                    errorOutputPrefix: firehoseErrorPrefix(layout),
                    bufferingSize: args.bufferSizeMib,
                    bufferingInterval: args.bufferIntervalSeconds,
                    // Parquet applies its own (Snappy) compression; Firehose requires UNCOMPRESSED here.
                    compressionFormat: "UNCOMPRESSED",
                    kmsKeyArn: args.lakeKeyArn,
                    cloudwatchLoggingOptions: { enabled: true, logGroupName: logGroup.name, logStreamName: logStream.name },
                    dataFormatConversionConfiguration: {
                        enabled: true,
                        inputFormatConfiguration: { deserializer: { openXJsonSerDe: {} } },
                        outputFormatConfiguration: { serializer: { parquetSerDe: { compression: "SNAPPY" } } },
                        schemaConfiguration: {
                            databaseName: args.schema.databaseName,
                            tableName: args.schema.tableName,
                            roleArn: role.arn,
                            region: account.region,
                            catalogId: account.accountId,
                        },
                    },
                    ...(args.partitionKey
                        ? {
                              dynamicPartitioningConfiguration: { enabled: true },
                              processingConfiguration: {
                                  enabled: true,
                                  processors: [
                                      {
                                          type: "MetadataExtraction",
                                          parameters: [
                                              { parameterName: "JsonParsingEngine", parameterValue: "JQ-1.6" },
                                              { parameterName: "MetadataExtractionQuery", parameterValue: partitionKeyQuery(args.partitionKey, args.partitionValues) },
                                          ],
                                      },
                                  ],
                              },
                          }
                        : {}),
                },
            },
            { ...child, dependsOn: source.kind === "msk" ? source.sourceReady : [] },
        );

        this.deliveryStreamName = delivery.name;
        this.arn = delivery.arn;
        this.roleArn = role.arn;
        this.registerOutputs({ deliveryStreamName: this.deliveryStreamName, arn: this.arn });
    }
}
