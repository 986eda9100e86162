import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { RUNBOOKS, RUNBOOKS_PATH, renderRunbooks, runbookKind } from "../../../components/monitoring/runbooks";
import { environmentThresholds } from "../../../cli/docs-runbooks";
import { environmentNames } from "../../../config/environments";
import { planJson } from "../../helpers/run-cli";

describe("runbooks", () => {
    it("docs/runbooks.md is the rendering of the runbook table (run npm run docs:runbooks when this fails)", () => {
        assert.equal(fs.readFileSync(path.resolve(__dirname, "../../..", RUNBOOKS_PATH), "utf8"), renderRunbooks(environmentThresholds()));
    });

    it("lists every environment's thresholds, defaults included", () => {
        const text = renderRunbooks([
            { name: "dev", thresholds: { mskCpuPercent: 60, kinesisIteratorAgeMs: 60000 } },
            { name: "prod", thresholds: { mskCpuPercent: 50, kinesisIteratorAgeMs: 30000 } },
        ]);
        assert.match(text, /\| Key \| dev \| prod \|\n\|---\|---\|---\|\n\| `kinesisIteratorAgeMs` \| 60000 \| 30000 \|\n\| `mskCpuPercent` \| 60 \| 50 \|/);
    });

    it("maps every indexed alarm id to its kind", () => {
        assert.deepEqual(
            [
                "kinesis-3-iterator-age",
                "kinesis-consumer-1-iterator-age",
                "firehose-0-freshness",
                "msk-broker-2-disk",
                "msk-broker-2-cpu",
                "quality-orders_v2-quarantined",
                "freshness-orders_v2-warehouse",
                "incoming-clicks-below-floor",
                "load-no-success",
            ].map(runbookKind),
            ["kinesis-iterator-age", "kinesis-consumer-iterator-age", "firehose-freshness", "msk-broker-disk", "msk-broker-cpu", "quality-quarantined", "freshness-warehouse", "incoming-below-floor", "load-no-success"],
        );
    });

    for (const stack of environmentNames()) {
        it(`${stack}: every alarm and failure rule states its severity and names a runbook that exists`, () => {
            const resources = planJson(stack).doc.resources;
            const alerting = [
                ...resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm").map((r) => String(r.inputs.alarmDescription)),
                ...resources.filter((r) => r.type === "aws:cloudwatch/eventRule:EventRule" && /-(failed|long-run)$/.test(String(r.inputs.name))).map((r) => String(r.inputs.description)),
            ];
            assert.ok(alerting.length > 10);
            for (const description of alerting) {
                const match = /(CRITICAL|WARNING)\. Runbook: docs\/runbooks\.md#([a-z-]+)$/.exec(description);
                assert.ok(match, `no severity and runbook in "${description}"`);
                assert.equal(RUNBOOKS[match[2]]?.severity.toUpperCase(), match[1], description);
            }
        });
    }
});
