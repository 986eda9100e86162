import * as assert from "node:assert/strict";
import type { RecordedResource } from "../../cli/engine/run-program";
import { firehoseRawPrefix, manifestPrefix, partitionKeys, storedColumns } from "../../lib/layout";
import { planJson } from "../helpers/run-cli";

const keysOfPrefix = (prefix: string) => [...prefix.matchAll(/([A-Za-z0-9_]+)=/g)].map((m) => m[1]);

describe("partition layout", () => {
    it("raw lands by the record's partition key, then the arrival hour; curated keeps the day", () => {
        assert.equal(firehoseRawPrefix({ name: "clickstream", partitionKey: "event_type" }), "clickstream/event_type_partition=!{partitionKeyFromQuery:event_type_partition}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/");
        assert.deepEqual(partitionKeys({ name: "orders" }, "raw"), ["year", "month", "day", "hour"]);
        assert.deepEqual(partitionKeys({ name: "clickstream", partitionKey: "event_type" }, "curated"), ["year", "month", "day"]);
        // The key's field stays in the files: the level has a name of its own, so a value routed to
        // _other in the path keeps its real value in the data.
        assert.deepEqual(storedColumns({ name: "c", partitionKey: "event_type" }, "raw", [{ name: "event_type" }, { name: "id" }]), [{ name: "event_type" }, { name: "id" }]);
        assert.deepEqual(partitionKeys({ name: "c", partitionKey: "event_type" }, "raw"), ["event_type_partition", "year", "month", "day", "hour"]);
    });

    describe("every writer and reader of the planned platform takes it from lib/layout.ts", () => {
        let resources: RecordedResource[];
        before(() => {
            resources = planJson("dev", ["--no-policies"]).doc.resources;
        });
        const ofType = (type: string) => resources.filter((r) => r.type === type);
        const table = (database: string, name: string) => ofType("aws:glue/catalogTable:CatalogTable").find((t) => t.inputs.databaseName === database && t.inputs.name === name)!.inputs as any;
        const DOMAINS = [
            { name: "clickstream", partitionKey: "event_type" },
            { name: "orders", partitionKey: undefined },
        ];

        for (const domain of DOMAINS) {
            it(`${domain.name}: Firehose prefix, raw table, crawler, ETL job and warehouse load agree`, () => {
                const delivery = ofType("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream").find((f) => String(f.inputs.name).endsWith(`-${domain.name}-to-raw`))!.inputs as any;
                const prefix = delivery.extendedS3Configuration.prefix;
                assert.equal(prefix, firehoseRawPrefix(domain));

                const job = ofType("aws:glue/job:Job").find((j) => String(j.inputs.name).includes(`-${domain.name}-raw-to-curated`))!.inputs as any;
                const args = job.defaultArguments;
                const raw = table(args["--source_database"], args["--source_table"]);
                const curated = table(args["--target_database"], args["--target_table"]);
                assert.deepEqual(raw.partitionKeys.map((k: any) => k.name), keysOfPrefix(prefix), "Firehose writes the raw table's partitions");
                assert.deepEqual(args["--source_partition_keys"].split(","), keysOfPrefix(prefix), "the job reads the raw partitions");
                assert.deepEqual(args["--quarantine_partition_keys"].split(","), ["year", "month", "day"], "the quarantine is kept by arrival day; the curated Iceberg table partitions itself by event day");
                assert.equal(curated.openTableFormatInput?.icebergInput ? "iceberg" : curated.parameters?.table_type?.toLowerCase(), "iceberg", "the job merges into the curated Iceberg table");
                assert.equal(raw.storageDescriptor.location, `s3://${delivery.extendedS3Configuration.bucketArn.split(":::")[1]}/${domain.name}/`);

                const crawled = ofType("aws:glue/crawler:Crawler").flatMap((c) => (c.inputs as any).catalogTargets ?? []).flatMap((t: any) => t.tables);
                assert.ok(crawled.includes(raw.name), "the crawler adds the raw table's partitions");

                // The load's Distributed Map reads its domains from the object its ItemReader names.
                const definition = JSON.parse(String(ofType("aws:sfn/stateMachine:StateMachine").find((m) => String(m.inputs.name).endsWith("-curated-to-warehouse"))!.inputs.definition));
                const reader = definition.States.LoadDomains.ItemReader.Parameters;
                const list = ofType("aws:s3/bucketObjectv2:BucketObjectv2").find((o) => (o.inputs as any).bucket === reader.Bucket && (o.inputs as any).key === reader.Key)!;
                const loaded = JSON.parse(String((list.inputs as any).content)).find((d: any) => d.name === domain.name);
                assert.equal(loaded.manifestPrefix, args["--manifest_prefix"], "the load reads the manifests the job writes");
                assert.ok(loaded.manifestPrefix.endsWith(`/${manifestPrefix(domain)}`));
            });
        }
    });
});
