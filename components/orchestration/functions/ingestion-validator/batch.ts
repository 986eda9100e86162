/**
 * One SQS batch through the validator: valid records go to their domain's stream, records that can
 * never be valid go to the dead-letter queue with the reason (retrying them would only delay that),
 * and what failed for a transient reason is reported back for SQS to redeliver (partial batch
 * response). The AWS calls are injected, so the logic is tested without AWS.
 */
import { type DomainContract, validateMessage } from "./contract";

/** The SQS event fields the validator reads. */
export interface SqsEvent {
    /** The batch's messages: id and body. */
    Records: { messageId: string; body: string }[];
}

/** The partial batch response: the messages SQS must redeliver. */
export interface BatchResponse {
    /** Ids of the messages SQS redelivers. */
    batchItemFailures: { itemIdentifier: string }[];
}

/** A record for Kinesis PutRecords. */
export interface StreamEntry {
    /** The normalised record as JSON. */
    data: string;
    /** Its primary key values: one key's records stay in order on one shard. */
    partitionKey: string;
}

/** A refused message for the dead-letter queue. */
export interface RefusedMessage {
    /** Id of the refused message in the ingestion queue. */
    messageId: string;
    /** Its body, as received. */
    body: string;
    /** Why it can never be valid. */
    reason: string;
}

/** The AWS calls a batch makes. */
export interface BatchDependencies {
    /** Contracts of the domains the queue serves, by domain name. */
    contracts: Record<string, DomainContract>;
    /** PutRecords to one stream; resolves to the indexes of entries Kinesis did not accept. */
    putRecords(stream: string, entries: StreamEntry[]): Promise<number[]>;
    /** SendMessageBatch to the dead-letter queue; resolves to the message ids it did not accept. */
    deadLetter(messages: RefusedMessage[]): Promise<string[]>;
    /** Structured log line. */
    log(entry: Record<string, unknown>): void;
}

/** Kinesis PutRecords takes at most 500 records per call. */
export const PUT_RECORDS_LIMIT = 500;
/** SQS SendMessageBatch takes at most 10 messages per call. */
export const SEND_BATCH_LIMIT = 10;

function chunks<T>(items: T[], size: number): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
}

export async function processBatch(event: SqsEvent, deps: BatchDependencies): Promise<BatchResponse> {
    const retry = new Set<string>();
    const refused: RefusedMessage[] = [];
    const byStream = new Map<string, { messageId: string; entry: StreamEntry }[]>();
    for (const message of event.Records) {
        const verdict = validateMessage(message.body, deps.contracts);
        if (!verdict.ok) {
            refused.push({ messageId: message.messageId, body: message.body, reason: verdict.reason });
            continue;
        }
        const list = byStream.get(verdict.stream) ?? [];
        list.push({ messageId: message.messageId, entry: { data: JSON.stringify(verdict.data), partitionKey: verdict.partitionKey } });
        byStream.set(verdict.stream, list);
    }
    for (const [stream, records] of byStream) {
        for (const chunk of chunks(records, PUT_RECORDS_LIMIT)) {
            try {
                const failed = await deps.putRecords(stream, chunk.map((r) => r.entry));
                for (const index of failed) retry.add(chunk[index].messageId);
            } catch (error) {
                deps.log({ level: "ERROR", message: "PutRecords failed", stream, records: chunk.length, error: String(error) });
                for (const r of chunk) retry.add(r.messageId);
            }
        }
    }
    for (const chunk of chunks(refused, SEND_BATCH_LIMIT)) {
        try {
            for (const id of await deps.deadLetter(chunk)) retry.add(id);
        } catch (error) {
            deps.log({ level: "ERROR", message: "dead-lettering failed", messages: chunk.length, error: String(error) });
            for (const m of chunk) retry.add(m.messageId);
        }
    }
    const forwarded = [...byStream.values()].reduce((n, list) => n + list.filter((r) => !retry.has(r.messageId)).length, 0);
    deps.log({ level: "INFO", message: "batch processed", received: event.Records.length, forwarded, refused: refused.length, retried: retry.size });
    return { batchItemFailures: [...retry].map((itemIdentifier) => ({ itemIdentifier })) };
}
