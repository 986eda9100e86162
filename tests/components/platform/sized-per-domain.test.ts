import * as assert from "node:assert/strict";
import { environmentNames } from "../../../config/environments";
import { OVERFLOW_PARTITION } from "../../../lib/firehose-partitions";
import { parseSparkConfArgument, SKEW_SAFE_SPARK_CONF } from "../../../lib/sizing";
import { planJson } from "../../helpers/run-cli";

/** The shipped stacks' plans: every Glue job sized per domain, auto scaling and skew-safe; partition keys bounded. */
describe("every shipped stack: sized per domain", () => {
    for (const stack of environmentNames()) {
        describe(stack, () => {
            let doc: ReturnType<typeof planJson>["doc"];
            before(function () {
                this.timeout(300_000);
                doc = planJson(stack, ["--no-policies"]).doc;
            });
            const jobs = () => doc.resources.filter((r) => r.type === "aws:glue/job:Job");
            const sizing = () => (doc.outputs as any).sizing;

            it("runs every Glue job with auto scaling and the skew-safe Spark settings", () => {
                assert.ok(jobs().length > 0);
                for (const job of jobs()) {
                    const args = (job.inputs as any).defaultArguments;
                    assert.equal(args["--enable-auto-scaling"], "true", job.name);
                    // The skew-safe settings, beside the Iceberg catalog's (tests/components/etl/spark-etl-jobs.test.ts).
                    const conf = parseSparkConfArgument(args["--conf"]);
                    assert.deepEqual(Object.fromEntries(Object.keys(SKEW_SAFE_SPARK_CONF).map((k) => [k, conf[k]])), SKEW_SAFE_SPARK_CONF, job.name);
                    assert.equal(conf["spark.sql.catalog.glue_catalog.catalog-impl"], "org.apache.iceberg.aws.glue.GlueCatalog", job.name);
                }
            });

            it("states each domain's workers in the plan, and each job has its domain's", () => {
                const glueJobs = sizing().glueJobs as Record<string, any>;
                for (const job of jobs()) {
                    const domain = (job.inputs as any).defaultArguments["--domain"];
                    const stated = glueJobs[domain];
                    assert.ok(stated, `${domain} has no stated sizing`);
                    assert.deepEqual([(job.inputs as any).numberOfWorkers, (job.inputs as any).workerType], [stated.maxWorkers, stated.workerType]);
                    assert.equal(stated.autoScaling, true);
                    for (const input of ["dailyVolumeGb", "runIntervalSeconds", "inputGbPerRun", "requiredWorkers", "ceiling", "limitedBy"]) assert.ok(input in stated, `${domain}: ${input}`);
                    assert.ok(stated.maxWorkers >= 2 && stated.maxWorkers <= stated.ceiling);
                }
            });

            it("bounds every partition key: its query routes undeclared values to the overflow partition, within the quota", () => {
                for (const stream of doc.resources.filter((r) => r.type === "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")) {
                    const s3 = (stream.inputs as any).extendedS3Configuration;
                    if (!s3.dynamicPartitioningConfiguration?.enabled) continue;
                    const query: string = s3.processingConfiguration.processors[0].parameters.find((p: any) => p.parameterName === "MetadataExtractionQuery").parameterValue;
                    assert.match(query, new RegExp(`else "${OVERFLOW_PARTITION}" end`), stream.name);
                }
                for (const bound of Object.values(sizing().firehosePartitions as Record<string, any>)) assert.ok(bound.activePartitions <= bound.quota);
            });
            if (stack === "prod") {
                it("gives the smaller domain's job fewer workers than the larger one's (150 vs 800 GB a day)", () => {
                    const workers = Object.fromEntries(jobs().map((j) => [(j.inputs as any).defaultArguments["--domain"], (j.inputs as any).numberOfWorkers]));
                    assert.deepEqual(workers, { clickstream: 10, orders: 3 });
                });
            }
        });
    }
});
