/**
 * Lambda entry point of the ingestion validator: wires {@link processBatch} to Kinesis and SQS
 * with the AWS SDK the Node.js runtime provides. Contracts ship with the code (`contracts.json`);
 * the dead-letter queue's URL comes from the (KMS-encrypted) environment.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { type BatchResponse, processBatch, type SqsEvent } from "./batch";
import type { DomainContract } from "./contract";

const contracts: Record<string, DomainContract> = JSON.parse(readFileSync(path.join(__dirname, "contracts.json"), "utf8"));
const kinesis = new KinesisClient({});
const sqs = new SQSClient({});
const deadLetterQueueUrl = process.env.DEAD_LETTER_QUEUE_URL;

export async function handler(event: SqsEvent): Promise<BatchResponse> {
    if (!deadLetterQueueUrl) throw new Error("DEAD_LETTER_QUEUE_URL is not set");
    return processBatch(event, {
        contracts,
        putRecords: async (stream, entries) => {
            const result = await kinesis.send(
                new PutRecordsCommand({ StreamName: stream, Records: entries.map((e) => ({ Data: Buffer.from(`${e.data}\n`), PartitionKey: e.partitionKey })) }),
            );
            return (result.Records ?? []).flatMap((r, i) => (r.ErrorCode ? [i] : []));
        },
        deadLetter: async (messages) => {
            const result = await sqs.send(
                new SendMessageBatchCommand({
                    QueueUrl: deadLetterQueueUrl,
                    Entries: messages.map((m, i) => ({
                        Id: String(i),
                        MessageBody: m.body,
                        MessageAttributes: { reason: { DataType: "String", StringValue: m.reason.slice(0, 1000) }, sourceMessageId: { DataType: "String", StringValue: m.messageId } },
                    })),
                }),
            );
            return (result.Failed ?? []).map((f) => messages[Number(f.Id)].messageId);
        },
        log: (entry) => console.log(JSON.stringify(entry)),
    });
}
