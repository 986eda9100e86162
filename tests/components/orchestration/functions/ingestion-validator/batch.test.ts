import * as assert from "node:assert/strict";
import { type BatchDependencies, processBatch, type RefusedMessage, type StreamEntry } from "../../../../../components/orchestration/functions/ingestion-validator/batch";
import { ORDERS } from "./orders-contract";

const valid = (id: string) => ({ messageId: id, body: JSON.stringify({ domain: "orders", record: { order_id: id, amount: 1, ordered_at: "2026-11-25T10:00:00Z" } }) });
const invalid = (id: string) => ({ messageId: id, body: JSON.stringify({ domain: "orders", record: { order_id: id } }) });

/** Fake AWS calls that record what they were sent and fail what the test says. */
function fakes(options: { kinesisRejects?: (entry: StreamEntry) => boolean; kinesisThrows?: boolean; deadLetterThrows?: boolean } = {}) {
    const sent: { stream: string; entries: StreamEntry[] }[] = [];
    const parked: RefusedMessage[] = [];
    const deps: BatchDependencies = {
        contracts: { orders: ORDERS },
        putRecords: async (stream, entries) => {
            if (options.kinesisThrows) throw new Error("ProvisionedThroughputExceededException");
            sent.push({ stream, entries });
            return entries.flatMap((e, i) => (options.kinesisRejects?.(e) ? [i] : []));
        },
        deadLetter: async (messages) => {
            if (options.deadLetterThrows) throw new Error("KMS.ThrottlingException");
            parked.push(...messages);
            return [];
        },
        log: () => {},
    };
    return { deps, sent, parked };
}
const failures = (response: { batchItemFailures: { itemIdentifier: string }[] }) => response.batchItemFailures.map((f) => f.itemIdentifier).sort();

describe("ingestion validator: a batch", () => {
    it("good batch: every record reaches the domain stream, keyed by primary key; nothing is redelivered", async () => {
        const { deps, sent, parked } = fakes();
        const response = await processBatch({ Records: [valid("a"), valid("b")] }, deps);
        assert.deepEqual(failures(response), []);
        assert.deepEqual(sent.map((s) => [s.stream, s.entries.map((e) => e.partitionKey)]), [["orders-stream", ["a", "b"]]]);
        assert.deepEqual(JSON.parse(sent[0].entries[0].data), { order_id: "a", amount: 1, ordered_at: "2026-11-25 10:00:00.000" });
        assert.deepEqual(parked, []);
    });

    it("bad batch: every record is parked in the dead-letter queue with its reason, not redelivered", async () => {
        const { deps, sent, parked } = fakes();
        const response = await processBatch({ Records: [invalid("a"), { messageId: "b", body: "{" }] }, deps);
        assert.deepEqual(failures(response), []);
        assert.deepEqual(sent, []);
        assert.deepEqual(
            parked.map((p) => [p.messageId, p.reason]),
            [
                ["a", "amount: missing; the column is required; ordered_at: missing; the column is required"],
                ["b", "the message is not JSON"],
            ],
        );
    });

    it("mixed batch: valid records are forwarded, invalid ones parked, and only what Kinesis refused is redelivered", async () => {
        const { deps, sent, parked } = fakes({ kinesisRejects: (e) => e.partitionKey === "c" });
        const response = await processBatch({ Records: [valid("a"), invalid("b"), valid("c")] }, deps);
        assert.deepEqual(failures(response), ["c"]);
        assert.deepEqual(sent[0].entries.map((e) => e.partitionKey), ["a", "c"]);
        assert.deepEqual(parked.map((p) => p.messageId), ["b"]);
    });

    it("a failed call redelivers every message it carried", async () => {
        const throttled = fakes({ kinesisThrows: true });
        assert.deepEqual(failures(await processBatch({ Records: [valid("a"), invalid("b")] }, throttled.deps)), ["a"]);
        const unparked = fakes({ deadLetterThrows: true });
        assert.deepEqual(failures(await processBatch({ Records: [valid("a"), invalid("b")] }, unparked.deps)), ["b"]);
    });

    it("splits calls at the PutRecords and SendMessageBatch limits", async () => {
        const { deps, sent, parked } = fakes();
        await processBatch({ Records: [...Array.from({ length: 501 }, (_, i) => valid(`v${i}`)), ...Array.from({ length: 11 }, (_, i) => invalid(`i${i}`))] }, deps);
        assert.deepEqual(sent.map((s) => s.entries.length), [500, 1]);
        assert.equal(parked.length, 11);
    });
});
