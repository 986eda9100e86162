import * as assert from "node:assert/strict";
import { environmentNames } from "../../../config/environments";
import { planJson } from "../../helpers/run-cli";

/**
 * Alarms whose metric is absent in normal operation, so missing data is not an outage: each with
 * the reason. Every other alarm treats missing data as breaching, so a stopped producer, a schedule
 * that starts nothing or a consumer that stopped reading raises an alarm.
 */
const NOT_BREACHING_WHEN_MISSING: [RegExp, string][] = [
    [/-kinesis-\d+-write-throttled$/, "emitted only when a write is throttled"],
    [/-redshift-(disk|cpu)$/, "an absent cluster is caught by redshift-health, which treats missing data as breaching"],
    [/-load-executions-(failed|timed-out|throttled)$/, "no data means no such execution; a load that never runs is caught by load-no-success"],
    [/-firehose-\d+-conversion-failed$/, "emitted only while records are converted; records that stop arriving are caught by the freshness alarm"],
    [/-(ingestion|schedule)-dlq-not-empty$|-ingestion-queue-oldest-message$/, "SQS reports queue metrics every minute; missing data is an empty, idle queue"],
    [/-validator-(errors|throttles)$/, "emitted only while the function runs; a stalled queue is caught by the oldest-message alarm"],
    [/-pipeline-state-throttled$/, "emitted only when a request is throttled"],
    [/-quality-\w+-quarantined$/, "emitted only when a run quarantines rows"],
    [/-glue-job-failed$/, "an EventBridge rule on failed job runs, not a metric"],
    [/-msk-\w+-delivery-lag$/, "reported while the delivery reads; a delivery that stops is caught by the raw freshness alarm"],
    [/-backfill-executions-failed$/, "backfills run only when someone starts one"],
    [/-kinesis-\d+-hot-shard$/, "shard metrics exist only while records are written; a stopped producer is caught by the freshness and floor alarms"],
    [/-kinesis-consumer-\d+-iterator-age$/, "emitted only while a team's application is subscribed through the consumer; the platform does not run that application"],
    [/-firehose-error-objects$/, "S3 request metrics are emitted only when an object is written under the error prefix"],
    [/-msk-consumer-lag$/, "lag exists only for consumer groups with committed offsets; Firehose's own delivery is caught by the freshness alarms"],
    [/-reconciliation-[a-z0-9_]+$/, "a run publishes its reconciliation only when it runs; missing runs are caught by the curated freshness alarms"],
    [/-redshift-queue-wait$|-redshift-serverless-queued$/, "queue metrics are emitted only while queries run; an absent warehouse is caught by redshift-health or the load alarms"],
];

describe("alarms that fire on missing data", () => {
    for (const stack of environmentNames()) {
        it(`${stack}: every alarm treats missing data as breaching unless missing data is not an outage`, () => {
            const alarms = planJson(stack).doc.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
            assert.ok(alarms.length > 10);
            for (const alarm of alarms) {
                const name = String(alarm.inputs.name);
                const exception = NOT_BREACHING_WHEN_MISSING.find(([pattern]) => pattern.test(name));
                if (alarm.inputs.treatMissingData === "breaching") continue;
                assert.ok(exception, `${name} treats missing data as ${alarm.inputs.treatMissingData} without a listed reason`);
            }
            const noSuccess = alarms.find((a) => String(a.inputs.name).endsWith("-load-no-success"));
            assert.ok(noSuccess, "no alarm for a load that never succeeds");
            assert.deepEqual([noSuccess.inputs.metricName, noSuccess.inputs.comparisonOperator, noSuccess.inputs.threshold, noSuccess.inputs.treatMissingData], ["ExecutionsSucceeded", "LessThanThreshold", 1, "breaching"]);
        });
    }

    it("waits two scheduled intervals for a successful load: 2 h for an hourly load, 12 h every 6 h", () => {
        const period = (stack: string) => planJson(stack).doc.resources.find((r) => String(r.inputs.name).endsWith("-load-no-success"))?.inputs.period;
        assert.deepEqual([period("prod"), period("dev")], [7200, 43_200]);
    });
});
