import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultLimit, mskPartitionsPerBroker, QUOTA_IDS, QUOTAS, type QuotaResource, quotaLines, quotaRefusals, quotaUsage } from "../../lib/quotas";
import { QUOTA_TABLE_END, QUOTA_TABLE_START, renderQuotaTable } from "../../cli/report/quota-section";
import { generatedBlock } from "../../config/environment-table";

const r = (type: string, name: string, inputs: Record<string, unknown> = {}): QuotaResource => ({ type, name, inputs });
const FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
const U = "[unknown]";

/** A small platform: two domains, one partitioned by a record field. */
function platform(): QuotaResource[] {
    return [
        r(FIREHOSE, "clicks", { extendedS3Configuration: { dynamicPartitioningConfiguration: { enabled: true }, prefix: "clicks/event_type=!{partitionKeyFromQuery:event_type}/year=!{timestamp:yyyy}/" } }),
        r(FIREHOSE, "orders", { extendedS3Configuration: { prefix: "orders/year=!{timestamp:yyyy}/" } }),
        r("aws:kinesis/stream:Stream", "clicks", { shardCount: 20, streamModeDetails: { streamMode: "PROVISIONED" } }),
        r("aws:kinesis/stream:Stream", "views", { shardCount: 6 }),
        r("aws:kinesis/stream:Stream", "events", { streamModeDetails: { streamMode: "ON_DEMAND" } }),
        r("aws:glue/job:Job", "etl-clicks", { executionProperty: { maxConcurrentRuns: 3 } }),
        r("aws:glue/job:Job", "etl-orders", {}),
        r("aws:glue/crawler:Crawler", "raw-clicks"),
        r("aws:sfn/stateMachine:StateMachine", "load"),
        r("aws:lakeformation/lfTag:LfTag", "zone", { key: "zone", values: ["raw", "curated", "analytics"] }),
        r("aws:lakeformation/lfTag:LfTag", "domain", { key: "domain", values: ["clicks", "orders"] }),
        r("aws:ec2/securityGroup:SecurityGroup", "glue", { vpcId: "vpc-1", ingress: [{}, {}], egress: [{}] }),
        r("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default", { vpcId: "vpc-1" }),
        r("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "a", { securityGroupId: "sg-9" }),
        r("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "b", { securityGroupId: "sg-9" }),
        r("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "c", { securityGroupId: "sg-9" }),
        r("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "d", { securityGroupId: "sg-9" }),
        r("aws:ec2/vpcEndpoint:VpcEndpoint", "glue", { vpcId: "vpc-1", vpcEndpointType: "Interface" }),
        r("aws:ec2/vpcEndpoint:VpcEndpoint", "kms", { vpcId: "vpc-1", vpcEndpointType: "Interface" }),
        r("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { vpcId: "vpc-1", vpcEndpointType: "Gateway" }),
        r("aws:ec2/vpcEndpoint:VpcEndpoint", "sts", { vpcId: "vpc-2", vpcEndpointType: "Interface" }),
        r("aws:msk/cluster:Cluster", "kafka", { clusterName: "kafka", numberOfBrokerNodes: 3, brokerNodeGroupInfo: { instanceType: "kafka.m7g.large" } }),
        r("aws:msk/topic:Topic", "orders", { clusterArn: "arn:aws:kafka:us-east-1:1:cluster/kafka/x", partitionCount: 6, replicationFactor: 3 }),
        r("aws:msk/topic:Topic", "payments", { clusterArn: "arn:aws:kafka:us-east-1:1:cluster/kafka/x", partitionCount: 4, replicationFactor: 2 }),
        r("aws:scheduler/schedule:Schedule", "load"),
        r("aws:dynamodb/table:Table", "state"),
        r("aws:kms/key:Key", "lake"),
    ];
}

describe("lib/quotas: the quotas the platform consumes", () => {
    it("every entry has a stable id, an AWS name, and an AWS documentation page as its source", () => {
        assert.equal(new Set(QUOTA_IDS).size, QUOTAS.length, "ids are unique");
        for (const q of QUOTAS) {
            assert.match(q.id, /^[a-z0-9]+(-[a-z0-9]+)+$/, q.id);
            assert.ok(q.name.length > 0 && q.service.length > 0, q.id);
            assert.match(q.source, /^https:\/\/docs\.aws\.amazon\.com\/\S+\.html$/, `${q.id} cites an AWS page`);
            // A default that could not be confirmed says so rather than carrying a number.
            // (MSK's partitions per broker take their limit from the cluster's broker size instead.)
            if (q.default === null && q.adjustable !== "recommended") assert.match(q.note ?? "", /not confirmed|could not be read/, `${q.id} says why it has no default`);
        }
    });

    it("covers the quotas the issue names", () => {
        for (const id of ["firehose-delivery-streams", "firehose-active-partitions", "kinesis-shards", "glue-concurrent-job-runs", "glue-jobs", "glue-crawlers", "glue-concurrent-runs-per-job", "sfn-state-machines", "sfn-history-events", "lakeformation-lf-tags", "lakeformation-lf-tag-values", "kms-symmetric-request-rate", "vpc-security-groups", "vpc-rules-per-security-group", "vpc-interface-endpoints", "msk-partitions-per-broker", "scheduler-schedules", "dynamodb-tables"]) {
            assert.ok(QUOTA_IDS.includes(id), id);
        }
        const history = QUOTAS.find((q) => q.id === "sfn-history-events");
        assert.equal(history?.default, 25_000);
        assert.equal(history?.adjustable, false);
    });

    it("computes usage from recorded resources", () => {
        const u = quotaUsage(platform());
        const value = (id: string) => {
            const x = u[id];
            assert.equal(x.kind, "count", `${id}: ${JSON.stringify(x)}`);
            return x.kind === "count" ? x.value : -1;
        };
        assert.equal(value("firehose-delivery-streams"), 2);
        assert.equal(value("kinesis-shards"), 26, "provisioned shards summed, on-demand left out");
        assert.equal(value("kinesis-on-demand-streams"), 1);
        assert.equal(value("glue-jobs"), 2);
        assert.equal(value("glue-concurrent-job-runs"), 4, "3 + Glue's default of 1");
        assert.equal(value("glue-concurrent-runs-per-job"), 3);
        assert.equal(value("glue-crawlers"), 1);
        assert.equal(value("sfn-state-machines"), 1);
        assert.equal(value("lakeformation-lf-tags"), 2);
        assert.equal(value("lakeformation-lf-tag-values"), 3);
        assert.equal(value("vpc-security-groups"), 2);
        assert.equal(value("vpc-rules-per-security-group"), 3, "sg-9's three outbound rule resources");
        assert.equal(value("vpc-interface-endpoints"), 2, "vpc-1's interface endpoints; the gateway endpoint is not counted");
        // (6 × 3 + 4 × 2) replicas over 3 brokers: the busiest holds 9.
        assert.equal(value("msk-partitions-per-broker"), 9);
        assert.equal(value("scheduler-schedules"), 1);
        assert.equal(value("dynamodb-tables"), 1);
        assert.equal(u["firehose-active-partitions"].kind, "unbounded");
        assert.match((u["firehose-active-partitions"] as { reason: string }).reason, /clicks .*partitionKeyFromQuery:event_type/);
        assert.equal(u["kms-symmetric-request-rate"].kind, "not-computed");
        assert.equal(u["sfn-history-events"].kind, "not-computed");
    });

    it("counts a stream partitioned by arrival time only as bounded, and a platform without MSK as using none", () => {
        const u = quotaUsage([r(FIREHOSE, "orders", { extendedS3Configuration: { dynamicPartitioningConfiguration: { enabled: true }, prefix: "orders/year=!{timestamp:yyyy}/" } })]);
        assert.deepEqual(u["firehose-active-partitions"], { kind: "count", value: 1, detail: "partitioned by arrival time only" });
        assert.equal(u["msk-partitions-per-broker"].kind, "count");
        assert.equal((u["msk-partitions-per-broker"] as { value: number }).value, 0);
    });

    it("counts a stream whose query keeps its key within a declared set: values (with the overflow) × the hours open at once", () => {
        const query = '{event_type:(.event_type | tostring | if IN("page_view","click","scroll") then . else "_other" end)}';
        const stream = (bufferingInterval: number, q = query) =>
            r(FIREHOSE, "clicks", {
                extendedS3Configuration: {
                    bufferingInterval,
                    dynamicPartitioningConfiguration: { enabled: true },
                    prefix: "clicks/event_type=!{partitionKeyFromQuery:event_type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/",
                    processingConfiguration: { enabled: true, processors: [{ type: "MetadataExtraction", parameters: [{ parameterName: "MetadataExtractionQuery", parameterValue: q }] }] },
                },
            });
        // 4 values × 2 hours (the current one and the previous, still buffered for up to 1.5 × 60 s).
        assert.equal((quotaUsage([stream(60)])["firehose-active-partitions"] as { value: number }).value, 8);
        // Without the IN() bound the key is unbounded again; 11 values × 2 hours with a 900-second buffer.
        assert.equal(quotaUsage([stream(60, "{event_type:.event_type}")])["firehose-active-partitions"].kind, "unbounded");
        const many = '{event_type:(.event_type | tostring | if IN("a","b","c","d","e","f","g","h","i","j") then . else "_other" end)}';
        assert.equal((quotaUsage([stream(900, many)])["firehose-active-partitions"] as { value: number }).value, 22);
    });

    it("says 'not known in preview' rather than 0 when a count needs an unknown value", () => {
        const lines = quotaLines(
            [
                r("aws:ec2/vpcEndpoint:VpcEndpoint", "glue", { vpcId: U, vpcEndpointType: "Interface" }),
                r("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "a", { securityGroupId: U }),
                r("aws:kinesis/stream:Stream", "clicks", { shardCount: U }),
            ],
            "us-east-1",
        );
        const used = (id: string) => lines.find((l) => l.id === id)?.used;
        assert.equal(used("vpc-interface-endpoints"), "not known in preview");
        assert.equal(used("vpc-rules-per-security-group"), "not known in preview");
        assert.equal(used("kinesis-shards"), "not known in preview");
        assert.deepEqual(quotaRefusals(lines), []);
    });

    it("judges against the declared quota, else the Region's default, else the broker size's recommended maximum", () => {
        const lines = quotaLines(platform(), "us-east-1", { "glue-jobs": 5 });
        const line = (id: string) => lines.find((l) => l.id === id);
        assert.deepEqual([line("glue-jobs")?.limit, line("glue-jobs")?.limitFrom], [5, "declared"]);
        assert.deepEqual([line("kinesis-shards")?.limit, line("kinesis-shards")?.limitFrom], [20_000, "default"]);
        assert.deepEqual([line("msk-partitions-per-broker")?.limit, line("msk-partitions-per-broker")?.limitFrom], [1000, "recommended for the broker size"]);
        assert.deepEqual([line("glue-crawlers")?.limit, line("glue-crawlers")?.limitFrom], [null, "none"]);
        const kinesis = QUOTAS.find((q) => q.id === "kinesis-shards");
        assert.ok(kinesis);
        assert.equal(defaultLimit(kinesis, "ap-south-1"), null, "the page gives no single figure outside the three Regions");
        assert.equal(mskPartitionsPerBroker("kafka.m5.4xlarge"), 4000);
        assert.equal(mskPartitionsPerBroker("kafka.m7g.2xlarge"), 2000);
        assert.equal(mskPartitionsPerBroker("kafka.t3.small"), 300);
    });

    it("refuses usage over a limit with one line naming the quota id, the usage, the limit and how to declare a raised quota", () => {
        const many = Array.from({ length: 51 }, (_, i) => r(FIREHOSE, `s${i}`, {}));
        const refusals = quotaRefusals(quotaLines(many, "eu-west-1"));
        assert.equal(refusals.length, 1);
        assert.match(refusals[0], /^quota firehose-delivery-streams \(Delivery streams per Region, account per Region\): the stack needs 51 but its AWS default limit is 50; .*lakehouse:quotas: \{ firehose-delivery-streams: <value> \}/);
        // Declared higher, the same stack passes; declared lower, it is refused against the declaration.
        assert.deepEqual(quotaRefusals(quotaLines(many, "eu-west-1", { "firehose-delivery-streams": 100 })), []);
        assert.match(quotaRefusals(quotaLines(platform(), "us-east-1", { "glue-jobs": 1 }))[0], /quota glue-jobs .*needs 2 but its declared limit is 1/);
    });

    it("docs/quotas.md shows the table of lib/quotas.ts (npm run docs:quotas when this fails)", () => {
        const doc = fs.readFileSync(path.resolve(__dirname, "../../docs/quotas.md"), "utf8");
        assert.equal(generatedBlock(doc, QUOTA_TABLE_START, QUOTA_TABLE_END), renderQuotaTable());
        for (const q of QUOTAS) assert.ok(doc.includes(q.source), `${q.id}'s source is on the page`);
    });
});
