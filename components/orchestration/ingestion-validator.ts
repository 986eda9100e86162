import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { functionArchive } from "../shared/function-code";
import { createEncryptedLogGroup } from "../shared/log-group";
import type { AccountContext } from "../shared/naming";
import type { DataProtection } from "../shared/protection";
import { allowHttpsToAwsServices } from "../shared/security-group";
import { createServiceRole } from "../shared/service-role";
import type { ColumnContract } from "./functions/ingestion-validator/contract";

const CODE_DIRECTORY = path.join(__dirname, "functions", "ingestion-validator");
const CODE_MODULES = ["handler", "batch", "contract"];

/** A domain the validator forwards to: its contract and its stream. */
export interface ValidatedDomain {
    /** Domain name, as producers put it in each message's `domain`. */
    name: string;
    /** Declared columns: types, nullability and ranges the records must meet. */
    columns: ColumnContract[];
    /** Primary-key columns; their values are the stream partition key. */
    primaryKey: string[];
    /** Name of the domain's Kinesis stream. */
    streamName: pulumi.Input<string>;
    /** Its ARN, for the function's `kinesis:PutRecords` grant. */
    streamArn: pulumi.Input<string>;
}

/** Arguments of {@link IngestionValidator}. */
export interface IngestionValidatorArgs {
    /** Function name, also its log group's (`/aws/lambda/<name>`). */
    functionName: string;
    /** Kinesis domains the queue feeds. */
    domains: ValidatedDomain[];
    /** The ingestion queue the function consumes. */
    queueArn: pulumi.Input<string>;
    /** The queue's dead-letter queue, where records that can never be valid are parked with the reason. */
    deadLetterQueue: { arn: pulumi.Input<string>; url: pulumi.Input<string> };
    /** Key of both queues. */
    queueKeyArn: pulumi.Input<string>;
    /** Key of the domain streams. */
    streamKeyArn: pulumi.Input<string>;
    /** Customer-managed key of the function's environment variables and log group (the operations key). */
    operationsKeyArn: pulumi.Input<string>;
    /**
     * Concurrency reserved for the function. Opt-in: Lambda keeps 100 of the account's quota
     * unreserved, and a new account's quota may be 10.
     * @default none (the function draws on the account's unreserved pool)
     */
    reservedConcurrency?: number;
    /** The event source mapping's maximum concurrency (2 to 1000), at most the reservation when there is one. */
    maximumConcurrency: number;
    /** Messages per invocation. */
    batchSize: number;
    /** Seconds the mapping gathers a batch. */
    batchWindowSeconds: number;
    /** Function memory (MB). */
    memoryMb: number;
    /** Function timeout (seconds). */
    timeoutSeconds: number;
    /** Private subnets and the VPC the function runs in, reaching Kinesis and SQS through interface endpoints. */
    network: { vpcId: pulumi.Input<string>; vpcCidr: string; subnetIds: pulumi.Input<pulumi.Input<string>[]>; s3PrefixListId: pulumi.Input<string> };
    /** Retention of the function's log group. */
    logRetentionDays: number;
    /** Account, partition and Region the role's ARNs are written for. */
    account: AccountContext;
    /** Protection of the log group. */
    protection: DataProtection;
}

/**
 * Validation and enrichment of the ingestion queue: a Node.js Lambda function (TypeScript in
 * `functions/ingestion-validator/`) checks each message against its domain's column contract,
 * normalises the values to what the raw zone's Parquet conversion reads, and forwards valid
 * records to the domain's stream keyed by primary key. Records that can never be valid go to the
 * dead-letter queue with the reason; transient failures are reported back (partial batch
 * response) and redelivered. Reserved concurrency bounds it, the event source mapping's maximum
 * concurrency matches it (so SQS polling is not throttled into retries), the environment is
 * encrypted with a customer-managed key, X-Ray traces every invocation, and the log group has
 * retention and a key.
 */
export class IngestionValidator extends pulumi.ComponentResource {
    /** The function's name. */
    public readonly functionName: pulumi.Output<string>;
    /** Its ARN. */
    public readonly functionArn: pulumi.Output<string>;

    constructor(name: string, args: IngestionValidatorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:orchestration:IngestionValidator", name, {}, opts);
        const child = { parent: this };
        const { account } = args;
        const logGroup = createEncryptedLogGroup(
            name,
            { logGroupName: `/aws/lambda/${args.functionName}`, kmsKeyArn: args.operationsKeyArn, retentionDays: args.logRetentionDays, protection: args.protection },
            child,
        );
        const securityGroup = new aws.ec2.SecurityGroup(name, { vpcId: args.network.vpcId, description: `${args.functionName}: HTTPS to AWS services only`, tags: { Name: name } }, child);
        allowHttpsToAwsServices(name, securityGroup.id, { vpcCidr: args.network.vpcCidr, s3PrefixListId: args.network.s3PrefixListId }, child);

        const role = createServiceRole(
            name,
            {
                description: "Ingestion validator function",
                service: "lambda.amazonaws.com",
                account,
                statements: [
                    // What the SQS event source mapping calls with the function's role (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html).
                    { Sid: "ConsumeQueue", Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"], Resource: args.queueArn },
                    { Sid: "ParkInvalidRecords", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: args.deadLetterQueue.arn },
                    // Receiving from and sending to queues encrypted with a customer-managed key.
                    {
                        Sid: "UseQueueKey",
                        Effect: "Allow",
                        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                        Resource: args.queueKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `sqs.${account.region}.amazonaws.com` } },
                    },
                    { Sid: "ForwardToStreams", Effect: "Allow", Action: ["kinesis:PutRecords", "kinesis:PutRecord"], Resource: args.domains.map((d) => d.streamArn) },
                    // Writing to a stream encrypted with a customer-managed key (https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html).
                    {
                        Sid: "UseStreamKey",
                        Effect: "Allow",
                        Action: ["kms:GenerateDataKey"],
                        Resource: args.streamKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `kinesis.${account.region}.amazonaws.com` } },
                    },
                    // Lambda decrypts the environment with the execution role at start-up (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html).
                    {
                        Sid: "DecryptEnvironment",
                        Effect: "Allow",
                        Action: ["kms:Decrypt"],
                        Resource: args.operationsKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `lambda.${account.region}.amazonaws.com` } },
                    },
                    { Sid: "WriteLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logGroup.arn}:*` },
                    { Sid: "Tracing", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
                    // A function in a VPC manages its network interfaces; EC2 offers no resource-level scoping for these.
                    {
                        Sid: "VpcNetworkInterfaces",
                        Effect: "Allow",
                        Action: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
                        Resource: "*",
                    },
                ],
            },
            child,
        );

        const contracts = pulumi
            .all(args.domains.map((d) => pulumi.output(d.streamName).apply((stream) => [d.name, { stream, columns: d.columns, primaryKey: d.primaryKey }] as const)))
            .apply((entries) => JSON.stringify(Object.fromEntries(entries), null, 2));
        const fn = new aws.lambda.Function(
            name,
            {
                name: args.functionName,
                description: "Validates ingestion-queue records against their domain contract and forwards them to the domain stream",
                runtime: aws.lambda.Runtime.NodeJS22dX,
                architectures: ["arm64"],
                handler: "handler.handler",
                code: contracts.apply((text) => functionArchive(CODE_DIRECTORY, CODE_MODULES, { "contracts.json": text })),
                role: role.arn,
                memorySize: args.memoryMb,
                timeout: args.timeoutSeconds,
                ...(args.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: args.reservedConcurrency } : {}),
                environment: { variables: { DEAD_LETTER_QUEUE_URL: args.deadLetterQueue.url } },
                kmsKeyArn: args.operationsKeyArn,
                tracingConfig: { mode: "Active" },
                loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
                vpcConfig: { subnetIds: args.network.subnetIds, securityGroupIds: [securityGroup.id] },
            },
            { ...child, dependsOn: [logGroup] },
        );
        new aws.lambda.EventSourceMapping(
            name,
            {
                eventSourceArn: args.queueArn,
                functionName: fn.arn,
                batchSize: args.batchSize,
                maximumBatchingWindowInSeconds: args.batchWindowSeconds,
                functionResponseTypes: ["ReportBatchItemFailures"],
                scalingConfig: { maximumConcurrency: args.maximumConcurrency },
            },
            child,
        );

        this.functionName = fn.name;
        this.functionArn = fn.arn;
        this.registerOutputs({ functionName: this.functionName, functionArn: this.functionArn });
    }
}
