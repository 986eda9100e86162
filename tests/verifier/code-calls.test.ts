import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { environmentNames } from "../../config/environments";
import { isBroken, verifyPlan } from "../../verifier";
import { CODE_CALLS, callContext, codeOf } from "../../verifier/code-calls";
import { PlanModel } from "../../verifier/model";
import type { PlannedStack } from "../../verifier/plan";
import { copyPlan, editPolicy } from "../helpers/plan-edit";
import { planJson } from "../helpers/run-cli";
import { operationName, pythonCalls, sourceCalls, typescriptCalls } from "./source-calls";

const ROOT = path.resolve(__dirname, "../..");
const STACKS = environmentNames();

describe("the code-call table (verifier/code-calls.ts)", () => {
    const plans: Record<string, PlannedStack> = {};
    before(() => {
        for (const stack of STACKS) plans[stack] = planJson(stack, ["--no-policies"]).doc as unknown as PlannedStack;
    });

    describe("reading calls from a source", () => {
        it("names boto3 calls by client and operation: direct, through a client variable, and paginators", () => {
            const calls = pythonCalls(
                [
                    'boto3.client("dynamodb").put_item(TableName=t, Item=i)',
                    'ddb = boto3.client("dynamodb")',
                    "page = ddb.query(**request)",
                    's3 = boto3.client("s3")',
                    'for page in s3.get_paginator("list_objects_v2").paginate(Bucket=b):',
                    "    pass",
                    'body = boto3.client("s3").get_object(Bucket=b, Key=k)["Body"].read()',
                    "frame.write.mode('append')",
                ].join("\n"),
            );
            assert.deepEqual([...calls].sort(), ["dynamodb:PutItem", "dynamodb:Query", "s3:GetObject", "s3:ListObjectsV2"]);
            assert.equal(operationName("put_metric_data"), "PutMetricData");
        });

        it("names AWS SDK v3 commands by client package, and KafkaJS admin requests", () => {
            const calls = typescriptCalls(
                [
                    'import { KinesisClient, PutRecordsCommand, type ListShardsCommand } from "@aws-sdk/client-kinesis";',
                    'import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";',
                    "await kinesis.send(new PutRecordsCommand({}));",
                    "await sqs.send(new SendMessageBatchCommand({}));",
                    "await admin.connect(); await admin.createTopics({ topics }); await admin.disconnect();",
                ].join("\n"),
            );
            assert.deepEqual([...calls].sort(), ["kafkajs:connect", "kafkajs:createTopics", "kinesis:PutRecords", "sqs:SendMessageBatch"]);
        });
    });

    for (const entry of CODE_CALLS) {
        it(`lists every call ${entry.source} makes, and only those`, () => {
            const files = [entry.source, ...(entry.modules ?? [])];
            const inCode = new Set(files.flatMap((file) => [...sourceCalls(file, fs.readFileSync(path.join(ROOT, file), "utf8"))]));
            const listed = new Set(entry.calls.filter((c) => c.via === "sdk").map((c) => c.call));
            assert.deepEqual({ missingFromTable: [...inCode].filter((c) => !listed.has(c)).sort(), notInCode: [...listed].filter((c) => !inCode.has(c)).sort() }, { missingFromTable: [], notInCode: [] });
        });

        it(`resolves ${entry.source}'s targets from what the code reads`, () => {
            const text = [entry.source, ...(entry.modules ?? [])].map((file) => fs.readFileSync(path.join(ROOT, file), "utf8")).join("\n");
            for (const name of entry.reads) assert.ok(text.includes(`"${name}"`) || text.includes(`'${name}'`) || text.includes(`env.${name}`), `${entry.source} does not read ${name}`);
        });
    }

    it("knows the code of every Glue job and Lambda function of every stack, and each call's target is in the plan", () => {
        for (const stack of STACKS) {
            const model = new PlanModel(plans[stack]);
            for (const resource of [...model.ofType("aws:glue/job:Job"), ...model.ofType("aws:lambda/function:Function")]) {
                const entries = codeOf(model, resource);
                assert.equal(entries.length, 1, `${stack}: ${resource.name} runs ${entries.length} entries of the table`);
                const context = callContext(model, resource);
                for (const call of entries[0].calls) {
                    const checks = call.checks(context);
                    assert.ok(Array.isArray(checks) && checks.length > 0, `${stack}: ${resource.name} ${call.call}: ${checks}`);
                    for (const check of checks) assert.ok(call.actions.includes(check.action), `${stack}: ${call.call} requests ${check.action}, which its table row does not list`);
                }
            }
        }
    });

    it("every call is checked against the role that runs the code, and a call the role may not make is a broken hop", async () => {
        const report = await verifyPlan(plans.prod, { only: ["code.glue-job", "code.lambda"] });
        const jobs = report.hops.filter((h) => h.requirement === "code.glue-job");
        assert.ok(jobs.some((h) => h.hop === "the job's script calls dynamodb:PutItem"));
        assert.deepEqual(report.hops.filter(isBroken).map((h) => `${h.hop}: ${h.reason}`), []);

        const plan = copyPlan(plans.prod);
        const jobPolicy = plan.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && String(r.inputs.policy).includes('"dynamodb:PutItem"') && String(r.inputs.policy).includes('"glue:GetDataQualityRuleset"'))!;
        editPolicy(jobPolicy, "policy", (statements) => statements.map((s) => ({ ...s, Action: [s.Action].flat().filter((a: string) => a !== "dynamodb:PutItem") })).filter((s) => s.Action.length > 0));
        const after = (await verifyPlan(plan, { only: ["code.glue-job"] })).hops.filter((h) => h.hop === "the job's script calls dynamodb:PutItem");
        assert.equal(after.length, 2);
        for (const hop of after) {
            assert.equal(hop.verdict, "denied");
            assert.match(hop.reason, /^dynamodb:PutItem on arn:aws:dynamodb:[^ ]+:table\/lakehouse-prod-pipeline-state: no statement of the role's policies allows/);
        }
    });

    it("the warehouse schema function's statements are checked on its cluster or workgroup, and the admin secret and its key as the Data API reads them", async () => {
        const schemaHops = async (plan: PlannedStack) => (await verifyPlan(plan, { only: ["code.lambda"] })).hops.filter((h) => h.hop.startsWith("lakehouse-prod-warehouse-schema's handler"));
        const before = await schemaHops(plans.prod);
        assert.deepEqual(before.map((h) => [h.hop, h.verdict]).sort(), [
            ["lakehouse-prod-warehouse-schema's handler calls redshift-data:DescribeStatement", "allowed"],
            ["lakehouse-prod-warehouse-schema's handler calls redshift-data:ExecuteStatement", "allowed"],
            ["lakehouse-prod-warehouse-schema's handler calls secretsmanager:GetSecretValue (through redshift-data)", "allowed"],
        ]);
        const staging = (await verifyPlan(plans.staging, { only: ["code.lambda"] })).hops.find((h) => h.hop === "lakehouse-staging-warehouse-schema's handler calls redshift-data:ExecuteStatement")!;
        assert.match(staging.resources.join(" "), /^arn:aws:redshift-serverless:[^ ]+:workgroup\//);

        const plan = copyPlan(plans.prod);
        const policy = plan.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && String(r.inputs.policy).includes('"redshift-data:ExecuteStatement"'))!;
        editPolicy(policy, "policy", (statements) => statements.filter((s) => s.Sid !== "DecryptAdminSecret"));
        const fn = plan.resources.find((r) => r.type === "aws:lambda/function:Function" && r.inputs.environment?.variables?.ADMIN_SECRET_ARN)!;
        fn.inputs.environment.variables.WAREHOUSE_NAME = "elsewhere";
        const after = await schemaHops(plan);
        const secret = after.find((h) => h.hop.includes("secretsmanager:GetSecretValue"))!;
        assert.equal(secret.verdict, "denied");
        assert.match(secret.reason, /kms:Decrypt on arn:aws:kms:[^ ]+: no statement of the role's policies allows/);
        const run = after.find((h) => h.hop.endsWith("redshift-data:ExecuteStatement"))!;
        assert.equal(run.verdict, "denied");
        assert.match(run.reason, /warehouse-schema\/handler\.ts calls redshift-data:ExecuteStatement on .*, but no cluster of the plan is named elsewhere/);
    });

    it("the IAM_ALLOWED_PRINCIPALS revocation is checked on every database and table its invocation names, with Glue's read of them and of the encrypted catalog", async () => {
        const hop = "lakehouse-prod-lf-revocation's handler calls lakeformation:RevokePermissions";
        const revocation = async (plan: PlannedStack) => (await verifyPlan(plan, { only: ["code.lambda"] })).hops.find((h) => h.hop === hop)!;
        const before = await revocation(plans.prod);
        assert.equal(before.verdict, "allowed", before.reason);
        assert.ok(before.resources.some((r) => /:glue:[^ ]+:table\/lakehouse_prod_curated_[a-z_]+\/[a-z_]+$/.test(r)), before.resources.join(" "));

        const plan = copyPlan(plans.prod);
        const policy = plan.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && String(r.inputs.policy).includes('"lakeformation:RevokePermissions"'))!;
        editPolicy(policy, "policy", (statements) => statements.filter((s) => s.Sid !== "DecryptCatalogMetadata"));
        const denied = await revocation(plan);
        assert.equal(denied.verdict, "denied");
        assert.match(denied.reason, /kms:Decrypt on arn:aws:kms:[^ ]+: no statement of the role's policies allows/);

        const unasked = copyPlan(plans.prod);
        unasked.resources = unasked.resources.filter((r) => !(r.type === "aws:lambda/invocation:Invocation" && String(r.inputs.functionName).endsWith("-lf-revocation")));
        const broken = await revocation(unasked);
        assert.equal(broken.verdict, "denied");
        assert.match(broken.reason, /no aws\.lambda\.Invocation of the plan asks lakehouse-prod-lf-revocation to revoke in catalog \d{12}/);
    });

    it("a call whose target its argument or environment does not name is a broken hop saying which", async () => {
        const plan = copyPlan(plans.prod);
        for (const job of plan.resources.filter((r) => r.type === "aws:glue/job:Job")) delete job.inputs.defaultArguments["--state_table"];
        const fn = plan.resources.find((r) => r.type === "aws:lambda/function:Function" && r.inputs.environment?.variables?.DEAD_LETTER_QUEUE_URL)!;
        fn.inputs.environment.variables.DEAD_LETTER_QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/333333333333/nowhere";
        const hops = (await verifyPlan(plan, { only: ["code.glue-job", "code.lambda"] })).hops;
        const put = hops.find((h) => h.hop === "the job's script calls dynamodb:PutItem")!;
        assert.equal(put.verdict, "denied");
        assert.match(put.reason, /raw_to_curated\.py calls dynamodb:PutItem on the pipeline state table --state_table names \(record_run\), but argument --state_table is not set/);
        const dlq = hops.find((h) => h.hop.endsWith("calls sqs:SendMessageBatch"))!;
        assert.equal(dlq.verdict, "denied");
        assert.match(dlq.reason, /no queue of the plan has the URL https:\/\/sqs\.us-east-1\.amazonaws\.com\/333333333333\/nowhere/);
    });
});
