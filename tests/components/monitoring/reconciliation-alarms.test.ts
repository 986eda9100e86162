import { ofType, resourcesUnder } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { ReconciliationAlarms } from "../../../components/monitoring";
import { PIPELINE_METRICS_NAMESPACE } from "../../../lib/pipeline-state";

describe("ReconciliationAlarms", () => {
    it("alarms each domain on its runs' reconciliation mismatch above 0, to the alert topic, and not on missing runs", async () => {
        const resources = await resourcesUnder(new ReconciliationAlarms("rec", { namePrefix: "lh-prod", domains: ["orders", "clickstream"], alertTopicArn: "arn:aws:sns:eu-west-1:123456789012:alerts" }));
        const alarms = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs as any);
        assert.deepEqual(
            alarms.map((a) => [a.name, a.namespace, a.metricName, a.dimensions, a.statistic, a.comparisonOperator, a.threshold, a.treatMissingData, a.alarmActions]),
            ["orders", "clickstream"].map((d) => [
                `lh-prod-reconciliation-${d}`,
                PIPELINE_METRICS_NAMESPACE,
                "ReconciliationMismatch",
                { Domain: d },
                "Maximum",
                "GreaterThanThreshold",
                0,
                "notBreaching",
                ["arn:aws:sns:eu-west-1:123456789012:alerts"],
            ]),
        );
    });
});
