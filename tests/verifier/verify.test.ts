import * as assert from "node:assert/strict";
import { type HopResult, isBroken, REQUIREMENTS, verifyPlan } from "../../verifier";
import type { PlannedStack } from "../../verifier/plan";
import { copyPlan, editPolicy, removeStatements, resource } from "../helpers/plan-edit";
import { planJson } from "../helpers/run-cli";
import { SYNTHETIC_PLANS } from "./synthetic-plans";
import { environmentNames } from "../../config/environments";

const STACKS = environmentNames();
const sameHop = (a: HopResult, b: HopResult) => a.requirement === b.requirement && a.urn === b.urn && a.hop === b.hop && a.principal === b.principal;
const find = (hops: HopResult[], requirement: string, predicate: (h: HopResult) => boolean = () => true) => hops.filter((h) => h.requirement === requirement && predicate(h));

describe("the pipeline verifier", () => {
    const plans: Record<string, PlannedStack> = {};
    before(() => {
        for (const stack of STACKS) plans[stack] = planJson(stack, ["--no-policies"]).doc as unknown as PlannedStack;
    });

    describe("the requirement table", () => {
        it("names, for every entry, the AWS documentation it comes from", () => {
            assert.ok(REQUIREMENTS.length >= 20);
            for (const r of REQUIREMENTS) {
                assert.match(r.doc, /^https:\/\/docs\.aws\.amazon\.com\//, r.id);
                assert.ok(r.summary.length > 20, r.id);
            }
            assert.equal(new Set(REQUIREMENTS.map((r) => r.id)).size, REQUIREMENTS.length);
        });

        it("every entry has hops that break when the statements allowing them are removed", async () => {
            const sources: [string, PlannedStack][] = [...STACKS.map((s): [string, PlannedStack] => [s, plans[s]]), ...Object.entries(SYNTHETIC_PLANS).map(([id, make]): [string, PlannedStack] => [`synthetic ${id}`, make()])];
            const proven = new Map<string, string[]>();
            for (const [label, plan] of sources) {
                const report = await verifyPlan(plan);
                const firstPerRequirement = new Map<string, HopResult[]>();
                for (const hop of report.hops.filter((h) => h.verdict === "allowed" && (h.grants?.length ?? 0) > 0)) {
                    const list = firstPerRequirement.get(hop.requirement) ?? [];
                    if (!list.some((h) => h.urn === hop.urn)) firstPerRequirement.set(hop.requirement, [...list, hop]);
                }
                for (const [requirement, hops] of firstPerRequirement) {
                    for (const hop of hops.slice(0, 2)) {
                        const broken = copyPlan(plan);
                        removeStatements(broken, hop.grants!);
                        const after = (await verifyPlan(broken, { only: [requirement] })).hops.find((h) => sameHop(h, hop));
                        assert.equal(after?.verdict, "denied", `${label}: removing what allows "${hop.hop}" (${requirement}) left it ${after?.verdict}`);
                    }
                    proven.set(requirement, [...(proven.get(requirement) ?? []), label]);
                }
            }
            const unproven = REQUIREMENTS.map((r) => r.id).filter((id) => !proven.has(id));
            assert.deepEqual(unproven, [], "requirement entries no plan exercises with an allowed hop");
        });

        it("each synthetic plan exercises its entry with every hop allowed", async () => {
            for (const [id, make] of Object.entries(SYNTHETIC_PLANS)) {
                const hops = (await verifyPlan(make(), { only: [id] })).hops;
                assert.ok(hops.length > 0, id);
                assert.deepEqual(hops.filter(isBroken).map((h) => h.reason), [], id);
            }
        });
    });

    describe("the review's examples, reproduced on the prod plan", () => {
        it("CloudTrail: DescribeKey sharing a statement with the encryption-context condition is denied", async () => {
            const plan = copyPlan(plans.prod);
            const trail = resource(plan, "aws:cloudtrail/trail:Trail");
            const key = plan.resources.find((r) => r.type === "aws:kms/key:Key" && r.outputs?.arn === trail.inputs.kmsKeyId)!;
            editPolicy(key, "policy", (statements) => [
                ...statements.filter((s) => s.Principal?.Service !== "cloudtrail.amazonaws.com"),
                {
                    Sid: "CloudTrailEncryptsThisAccountsTrails",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: ["kms:GenerateDataKey*", "kms:DescribeKey"],
                    Resource: "*",
                    Condition: { StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${String(trail.outputs!.arn).split(":")[4]}:trail/*` } },
                },
            ]);
            const [hop] = find((await verifyPlan(plan)).hops, "cloudtrail.key");
            assert.equal(hop.verdict, "denied");
            assert.match(hop.reason, /^kms:DescribeKey on .*kms:EncryptionContext:aws:cloudtrail:arn \(not in the request\)/);
        });

        it("CloudTrail: without kms:Decrypt the trail cannot write to its bucket, which uses a bucket key", async () => {
            const plan = copyPlan(plans.prod);
            const trail = resource(plan, "aws:cloudtrail/trail:Trail");
            const key = plan.resources.find((r) => r.type === "aws:kms/key:Key" && r.outputs?.arn === trail.inputs.kmsKeyId)!;
            const source = { StringEquals: { "aws:SourceArn": trail.outputs!.arn } };
            const account = String(trail.outputs!.arn).split(":")[4];
            editPolicy(key, "policy", (statements) => [
                ...statements.filter((s) => s.Principal?.Service !== "cloudtrail.amazonaws.com"),
                { Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:DescribeKey", Resource: "*", Condition: source },
                {
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "kms:GenerateDataKey*",
                    Resource: "*",
                    Condition: { ...source, StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${account}:trail/*` } },
                },
            ]);
            const [hop] = find((await verifyPlan(plan)).hops, "cloudtrail.key");
            assert.ok(hop.actions.includes("kms:Decrypt"), "the trail's bucket uses a bucket key, so Decrypt is required");
            assert.equal(hop.verdict, "denied");
            assert.match(hop.reason, /^kms:Decrypt on /);
        });

        it("Scheduler: a role that may start the state machine but not use its key is denied", async () => {
            const plan = copyPlan(plans.prod);
            const schedule = resource(plan, "aws:scheduler/schedule:Schedule");
            const rolePolicy = plan.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === String(schedule.inputs.target.roleArn).split("/").pop())!;
            editPolicy(rolePolicy, "policy", (statements) => statements.filter((s) => ![s.Action].flat().some((a: string) => a.startsWith("kms:"))));
            const hops = find((await verifyPlan(plan)).hops, "scheduler.start-state-machine", (h) => h.principal.startsWith("arn:"));
            assert.equal(hops[0].verdict, "denied");
            assert.match(hops[0].reason, /^kms:(GenerateDataKey|Decrypt) on arn:aws:kms:.*no statement of the role's policies allows/);
        });

        it("Glue: a job role that may write its domains' curated paths but not its quarantine path is denied", async () => {
            const plan = copyPlan(plans.prod);
            const job = resource(plan, "aws:glue/job:Job", "orders");
            const roleName = String(job.inputs.roleArn).split("/").pop();
            const rolePolicy = plan.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === roleName)!;
            // A role that names each domain's curated prefix (and the bucket) instead of the whole zone.
            editPolicy(rolePolicy, "policy", (statements) =>
                statements.map((st) => {
                    if (st.Sid !== "WriteCuratedDomains") return st;
                    const bucket = [st.Resource].flat().find((r: string) => !r.includes("/")) as string;
                    return { ...st, Resource: [bucket, `${bucket}/iceberg/orders/*`, `${bucket}/iceberg/clickstream/*`] };
                }),
            );
            const [hop] = find((await verifyPlan(plan)).hops, "glue.job-target", (h) => h.urn === job.urn);
            assert.equal(hop.verdict, "denied");
            assert.match(hop.reason, /_quarantine\/orders\//);
        });

        it("Firehose: an event_type level the raw table does not declare breaks the layout", async () => {
            const plan = copyPlan(plans.prod);
            const delivery = resource(plan, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "clickstream");
            delivery.inputs.extendedS3Configuration.prefix = "clickstream/event_type=!{partitionKeyFromQuery:event_type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/";
            // The table as it was: partitioned by time only.
            const rawTable = plan.resources.find((r) => r.type === "aws:glue/catalogTable:CatalogTable" && r.inputs.databaseName === "lakehouse_prod_raw_clickstream")!;
            rawTable.inputs.partitionKeys = ["year", "month", "day", "hour"].map((name) => ({ name, type: "string" }));
            const hops = (await verifyPlan(plan)).hops;
            const [layout] = find(hops, "lineage.writer-layout", (h) => h.urn === delivery.urn);
            assert.equal(layout.verdict, "broken-lineage");
            assert.match(layout.reason, /event_type=…\/year=…\/month=…\/day=…\/hour=…\/ but .*clickstream declares partition keys year\/month\/day\/hour/);
            assert.ok(find(hops, "lineage.readers-have-writers", (h) => h.domain === "clickstream" && isBroken(h)).length >= 1, "the crawler and the job expect another layout");
        });

        it("Glue: a script in the raw bucket expires (dev) or is archived to Glacier (prod) by its lifecycle", async () => {
            for (const [stack, effect] of [
                ["dev", /expires objects after 90 days/],
                ["prod", /archives objects to GLACIER after 180 days/],
            ] as const) {
                const plan = copyPlan(plans[stack]);
                const rawBucket = plan.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name.endsWith("-lake-raw"))!;
                for (const job of plan.resources.filter((r) => r.type === "aws:glue/job:Job")) job.inputs.command.scriptLocation = `s3://${rawBucket.inputs.bucket}/_platform/glue/scripts/raw_to_curated.py`;
                const broken = find((await verifyPlan(plan)).hops, "lineage.artefacts", (h) => h.hop.includes("script"));
                assert.ok(broken.length > 0 && broken.every((h) => h.verdict === "broken-lineage"), stack);
                assert.match(broken[0].reason, effect, stack);
            }
        });

        it("MSK: a cluster nothing reads leaves its domains without a path into the lake", async () => {
            const plan = copyPlan(plans.prod);
            plan.resources = plan.resources.filter(
                (r) => !(r.type === "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream" && r.inputs.mskSourceConfiguration) && r.type !== "aws:mskconnect/connector:Connector",
            );
            const hops = (await verifyPlan(plan)).hops;
            const [source] = find(hops, "lineage.sources", (h) => h.hop.includes("Kafka"));
            assert.equal(source.verdict, "broken-lineage");
            assert.match(source.reason, /its topics never reach the lake/);
            const orders = find(hops, "lineage.readers-have-writers", (h) => h.domain === "orders" && isBroken(h));
            assert.ok(orders.some((h) => /nothing writes s3:\/\/.*-raw-.*\/orders\//.test(h.reason)), JSON.stringify(orders.map((h) => h.reason)));
        });

        it("Warehouse load: every domain, Kinesis and MSK, reaches the warehouse through the COPY of its runs' manifests", async () => {
            const hops = find((await verifyPlan(plans.prod)).hops, "lineage.domain-path");
            assert.deepEqual([...new Set(hops.map((h) => h.domain))].sort(), ["clickstream", "orders"]);
            for (const hop of hops) assert.equal(hop.verdict, "connected", hop.reason);
            const copies = find((await verifyPlan(plans.prod)).hops, "redshift.copy-role", (h) => h.hop.startsWith("the warehouse COPYs from"));
            assert.deepEqual(copies.map((h) => [h.domain, h.verdict, /\/(clickstream|orders)\/_manifests\/$/.test(h.hop)]), [
                ["clickstream", "allowed", true],
                ["orders", "allowed", true],
            ]);
            const batch = find((await verifyPlan(plans.prod)).hops, "states.redshift-data", (h) => h.hop.includes("LoadRun"));
            assert.deepEqual(batch[0].actions, ["redshift-data:BatchExecuteStatement", "redshift:GetClusterCredentials"]);
        });

        it("Ingestion queue: without the validator's event source mapping the queue has no consumer", async () => {
            const plan = copyPlan(plans.prod);
            // The mapping and the role statement that let the function receive and delete.
            plan.resources = plan.resources.filter((r) => r.type !== "aws:lambda/eventSourceMapping:EventSourceMapping");
            const validatorPolicy = plan.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && String(r.inputs.policy).includes('"ConsumeQueue"'))!;
            editPolicy(validatorPolicy, "policy", (statements) => statements.filter((st) => st.Sid !== "ConsumeQueue"));
            const [hop] = find((await verifyPlan(plan)).hops, "lineage.queues", (h) => h.hop.endsWith("-ingestion has a producer and a consumer"));
            assert.equal(hop.verdict, "broken-lineage");
            assert.match(hop.reason, /has no consumer/);
        });

        it("Enhanced fan-out: consumers priced on a stream but never registered are reported", async () => {
            const plan = copyPlan(plans.prod);
            const stream = resource(plan, "aws:kinesis/stream:Stream");
            plan.resources = plan.resources.filter((r) => r.type !== "aws:kinesis/streamConsumer:StreamConsumer");
            (plan as any).cost = { lines: [{ urn: stream.urn, priceKey: "kinesis.efo-consumer-shard-hour", item: "enhanced fan-out (3 consumers)" }] };
            const [hop] = find((await verifyPlan(plan)).hops, "lineage.enhanced-fan-out");
            assert.equal(hop.verdict, "broken-lineage");
            assert.equal(hop.reason, "3 enhanced fan-out consumers are priced, 0 registered");
            const registered = find((await verifyPlan(plans.prod)).hops, "lineage.enhanced-fan-out");
            assert.ok(registered.length >= 3 && registered.every((h) => h.verdict === "connected" && /^registered on /.test(h.reason)));
        });

        it("Freshness: the load's role without PutMetricData leaves the warehouse freshness alarms with no publisher; the curated ones stay with their jobs", async () => {
            const published = find((await verifyPlan(plans.prod)).hops, "lineage.published-metrics");
            const warehouse = published.filter((h) => h.hop.includes("Zone=warehouse"));
            assert.equal(warehouse.length, 2);
            assert.ok(warehouse.every((h) => h.verdict === "connected" && /PutMetricData task of lakehouse-prod-load/.test(h.reason)));
            const curatedOrders = published.find((h) => h.hop.includes("Domain=orders, Zone=curated"))!;
            assert.match(curatedOrders.reason, /Glue job lakehouse-prod-etl-orders/, "a job publishes its own domain's series only");

            const plan = copyPlan(plans.prod);
            const loadPolicy = plan.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && String(r.inputs.policy).includes('"PublishWarehouseFreshness"'))!;
            editPolicy(loadPolicy, "policy", (statements) => statements.filter((st) => st.Sid !== "PublishWarehouseFreshness"));
            const after = find((await verifyPlan(plan)).hops, "lineage.published-metrics");
            const broken = after.filter((h) => h.verdict === "broken-lineage");
            assert.deepEqual(broken.map((h) => h.hop.includes("Zone=warehouse")), [true, true]);
            assert.match(broken[0].reason, /PutMetricData task of lakehouse-prod-load would publish it, but its role may not call cloudwatch:PutMetricData in Lakehouse\/Pipeline/);
        });

        it("Freshness: an alarm on a namespace nothing publishes to is reported", async () => {
            const plan = copyPlan(plans.prod);
            const alarm = plan.resources.find((r) => String(r.inputs.name).endsWith("-freshness-orders-warehouse"))!;
            alarm.inputs.namespace = "Lakehouse/Pipelines";
            const [hop] = find((await verifyPlan(plan)).hops, "lineage.published-metrics", (h) => h.hop.startsWith("Lakehouse/Pipelines/"));
            assert.equal(hop.verdict, "broken-lineage");
            assert.match(hop.reason, /^nothing publishes Lakehouse\/Pipelines\/DataAgeSeconds \{Domain=orders, Zone=warehouse\}: alarm .* can never see data$/);
        });

        it("reports an IAM action that does not exist", async () => {
            const plan = copyPlan(plans.prod);
            const policy = plan.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy")!;
            editPolicy(policy, "policy", (statements) => [...statements, { Effect: "Allow", Action: ["s3:GetObjects", "kms:GenerateDataKey*"], Resource: "*" }]);
            const unknown = find((await verifyPlan(plan)).hops, "iam.known-actions");
            assert.deepEqual(
                unknown.map((h) => h.actions[0]),
                ["s3:GetObjects"],
            );
            assert.equal(unknown[0].verdict, "denied");
        });
    });
});
