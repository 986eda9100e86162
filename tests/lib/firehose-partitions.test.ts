import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
    boundedQueryValues,
    FIREHOSE_ACTIVE_PARTITIONS_QUOTA,
    maxKeyValues,
    OVERFLOW_PARTITION,
    openTimePartitions,
    partitionBoundSizing,
    partitionKeyQuery,
} from "../../lib/firehose-partitions";

type Jq = { json: (input: unknown, filter: string) => unknown };
// jq-web: jq compiled to WebAssembly, shipped in the npm package (jq 1.7; Firehose runs 1.6, so the
// query is also run through a jq 1.6 binary below when the machine has one).
const jqWeb: Promise<Jq> = require("jq-web");

/** jq 1.6 on this machine, if any: the version Firehose's inline parsing runs. */
function systemJq16(): ((input: unknown, filter: string) => unknown) | undefined {
    const version = spawnSync("jq", ["--version"], { encoding: "utf8" });
    if (version.status !== 0 || !/^jq-1\.6/.test(version.stdout.trim())) return undefined;
    return (input, filter) => {
        const run = spawnSync("jq", ["-c", filter], { input: JSON.stringify(input), encoding: "utf8" });
        if (run.status !== 0) throw new Error(run.stderr);
        return JSON.parse(run.stdout);
    };
}

describe("Firehose partition bound", () => {
    const values = ["page_view", "click", "add_to_cart"];
    const query = partitionKeyQuery("event_type", values);

    it("routes a declared value to its own partition and any other to the overflow partition (run through jq)", async () => {
        const jq = await jqWeb;
        const engines: [string, (input: unknown, filter: string) => unknown][] = [["jq-web", (i, f) => jq.json(i, f)]];
        const jq16 = systemJq16();
        if (jq16) engines.push(["jq 1.6", jq16]);
        for (const [engine, run] of engines) {
            for (const value of values) assert.deepEqual(run({ event_type: value, user_id: "u1" }, query), { event_type_partition: value }, `${engine}: ${value}`);
            for (const record of [{ event_type: "spam" }, { event_type: "Click" }, { event_type: "click " }, { event_type: null }, {}, { event_type: ["click"] }, { event_type: { x: 1 } }]) {
                assert.deepEqual(run(record, query), { event_type_partition: OVERFLOW_PARTITION }, `${engine}: ${JSON.stringify(record)}`);
            }
        }
    });

    it("compares values as text, so a number field matches its declared digits", async () => {
        const jq = await jqWeb;
        const q = partitionKeyQuery("region", ["1", "2"]);
        assert.deepEqual(jq.json({ region: 2 }, q), { region_partition: "2" });
        assert.deepEqual(jq.json({ region: 3 }, q), { region_partition: OVERFLOW_PARTITION });
    });

    it("leaves an unbounded key's query as the field itself", async () => {
        assert.equal(partitionKeyQuery("event_type"), "{event_type_partition:.event_type}");
        assert.deepEqual((await jqWeb).json({ event_type: "anything" }, partitionKeyQuery("event_type")), { event_type_partition: "anything" });
    });

    it("reads the values back from a query it wrote (the overflow partition included), and nothing from an unbounded one", () => {
        assert.deepEqual(boundedQueryValues(query), [...values, OVERFLOW_PARTITION]);
        assert.equal(boundedQueryValues(partitionKeyQuery("event_type")), undefined);
    });

    it("counts the arrival hours a buffer can hold open: the current one and the one before", () => {
        // A buffer may deliver up to 1.5 x its interval after it opened: within 60-900 s, two hours at most.
        assert.equal(openTimePartitions(60), 2);
        assert.equal(openTimePartitions(900), 2);
        assert.equal(openTimePartitions(2400), 2);
        assert.equal(openTimePartitions(2401), 3);
    });

    it("counts active partitions as key values (with the overflow partition) x open hours, against the quota", () => {
        assert.deepEqual(partitionBoundSizing("event_type", { values }, 900), {
            key: "event_type",
            boundBy: "values",
            keyValues: 4,
            openTimePartitions: 2,
            activePartitions: 8,
            quota: FIREHOSE_ACTIVE_PARTITIONS_QUOTA,
        });
        assert.deepEqual(partitionBoundSizing("tenant", { maxValues: 300 }, 300, 5000).activePartitions, 600);
        assert.equal(FIREHOSE_ACTIVE_PARTITIONS_QUOTA, 500);
        assert.equal(maxKeyValues(900, 500), 250);
    });
});
