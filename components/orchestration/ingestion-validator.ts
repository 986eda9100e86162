import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { functionArchive } from "../shared/function-code";
import { createVpcFunction, type VpcFunctionSettings } from "../shared/vpc-function";
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

/** Arguments of {@link IngestionValidator}: where the function runs and what it is kept with, as for any platform function, and what it reads and writes. */
export interface IngestionValidatorArgs extends VpcFunctionSettings {
    /** Kinesis domains the queue feeds. */
    domains: ValidatedDomain[];
    /**
     * ARN pattern covering every domain stream (e.g. `arn:aws:kinesis:<region>:<account>:stream/<prefix>-*`),
     * for the role's grant: one entry whatever the domain count, where a list of every stream grows
     * the role's policy towards IAM's 10,240 characters.
     * @default each domain's streamArn
     */
    streamArnPattern?: pulumi.Input<string>;
    /** The ingestion queue the function consumes. */
    queueArn: pulumi.Input<string>;
    /** The queue's dead-letter queue, where records that can never be valid are parked with the reason. */
    deadLetterQueue: { arn: pulumi.Input<string>; url: pulumi.Input<string> };
    /** Key of both queues. */
    queueKeyArn: pulumi.Input<string>;
    /** Key of the domain streams. */
    streamKeyArn: pulumi.Input<string>;
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
    /** Private subnets and the VPC the function runs in, reaching Kinesis and SQS through interface endpoints, and the S3 gateway endpoint's prefix list. */
    network: VpcFunctionSettings["network"] & { s3PrefixListId: pulumi.Input<string> };
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
        const { domains, streamArnPattern, queueArn, deadLetterQueue, queueKeyArn, streamKeyArn, maximumConcurrency, batchSize, batchWindowSeconds, ...settings } = args;
        const { account } = settings;
        const contracts = pulumi
            .all(domains.map((d) => pulumi.output(d.streamName).apply((stream) => [d.name, { stream, columns: d.columns, primaryKey: d.primaryKey }] as const)))
            .apply((entries) => JSON.stringify(Object.fromEntries(entries), null, 2));
        const { fn, securityGroup } = createVpcFunction(
            name,
            {
                ...settings,
                description: "Validates ingestion-queue records against their domain contract and forwards them to the domain stream",
                roleDescription: "Ingestion validator function",
                securityGroupDescription: `${settings.functionName}: HTTPS to AWS services only`,
                code: contracts.apply((text) => functionArchive(CODE_DIRECTORY, CODE_MODULES, { "contracts.json": text })),
                environment: { DEAD_LETTER_QUEUE_URL: deadLetterQueue.url },
                statements: [
                    // What the SQS event source mapping calls with the function's role (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html).
                    { Sid: "ConsumeQueue", Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"], Resource: queueArn },
                    { Sid: "ParkInvalidRecords", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: deadLetterQueue.arn },
                    // Receiving from and sending to queues encrypted with a customer-managed key.
                    {
                        Sid: "UseQueueKey",
                        Effect: "Allow",
                        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                        Resource: queueKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `sqs.${account.region}.amazonaws.com` } },
                    },
                    { Sid: "ForwardToStreams", Effect: "Allow", Action: ["kinesis:PutRecords", "kinesis:PutRecord"], Resource: streamArnPattern ?? domains.map((d) => d.streamArn) },
                    // Writing to a stream encrypted with a customer-managed key (https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html).
                    {
                        Sid: "UseStreamKey",
                        Effect: "Allow",
                        Action: ["kms:GenerateDataKey"],
                        Resource: streamKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `kinesis.${account.region}.amazonaws.com` } },
                    },
                ],
            },
            child,
        );
        // Besides HTTPS to the interface endpoints (`<name>-endpoints`, with the group), the rule to
        // S3's gateway endpoint the validator's group has had since it was first deployed. Its code
        // calls SQS and Kinesis only; the rule stays so that deployed stacks see no change here.
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-s3`,
            { securityGroupId: securityGroup.id, description: "HTTPS to S3 through the gateway endpoint", ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: settings.network.s3PrefixListId },
            child,
        );
        new aws.lambda.EventSourceMapping(
            name,
            {
                eventSourceArn: queueArn,
                functionName: fn.arn,
                batchSize: batchSize,
                maximumBatchingWindowInSeconds: batchWindowSeconds,
                functionResponseTypes: ["ReportBatchItemFailures"],
                scalingConfig: { maximumConcurrency: maximumConcurrency },
            },
            child,
        );

        this.functionName = fn.name;
        this.functionArn = fn.arn;
        this.registerOutputs({ functionName: this.functionName, functionArn: this.functionArn });
    }
}
