import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { type HopResult, isBroken, isNotJudged, verifyPlan } from "../../verifier";
import type { PlannedResource, PlannedStack } from "../../verifier/plan";
import { renderVerification } from "../../verifier/report";
import { UNKNOWN } from "../../verifier/unknown";
import { copyPlan, removeStatements, resource } from "../helpers/plan-edit";
import { runCliAsync, tempDir } from "../helpers/run-cli";
import { ACCOUNT, SYNTHETIC_PLANS } from "./synthetic-plans";

/**
 * A preview of an update: the resources named are new (id and computed outputs unknown), the rest
 * exist. Every input elsewhere that holds one of their ids or ARNs becomes unknown as a whole, as
 * an Output interpolated into a string or a policy document does, and records where it came from
 * (the engine's property dependencies).
 */
function asPreview(plan: PlannedStack, newResources: string[]): PlannedStack {
    const preview = copyPlan(plan);
    preview.mode = "preview";
    const fresh = preview.resources.filter((r) => newResources.includes(r.name));
    assert.equal(fresh.length, newResources.length, "every named resource is in the plan");
    const refs = fresh.map((r) => ({ urn: r.urn, values: [r.id, ...Object.values(r.outputs ?? {})].filter((v): v is string => typeof v === "string" && v.length > 3) }));
    for (const r of fresh) {
        r.id = null;
        r.outputs = {};
    }
    const blank = (value: unknown, sources: Set<string>): unknown => {
        if (typeof value === "string") {
            const from = refs.filter((ref) => ref.values.some((v) => value.includes(v)));
            for (const ref of from) sources.add(ref.urn);
            return from.length > 0 ? UNKNOWN : value;
        }
        if (Array.isArray(value)) return value.map((v) => blank(v, sources));
        if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, blank(v, sources)]));
        return value;
    };
    for (const r of preview.resources) {
        const dependencies: Record<string, string[]> = {};
        for (const [key, value] of Object.entries(r.inputs)) {
            const sources = new Set<string>();
            r.inputs[key] = blank(value, sources);
            dependencies[key] = [...sources];
        }
        r.propertyDependencies = dependencies;
    }
    return preview;
}

const sameHop = (a: HopResult, b: HopResult) => a.requirement === b.requirement && a.urn === b.urn && a.hop === b.hop && a.principal === b.principal;

const queuePlan = SYNTHETIC_PLANS["sqs.producers-and-consumers"];

describe("the verifier on a preview's unknowns", function () {
    this.timeout(300000);

    describe("dev planned as pulumi preview of a new stack", () => {
        let plan: PlannedStack;
        before(async () => {
            const file = path.join(tempDir(), "dev-preview.json");
            const result = await runCliAsync("cli/plan.ts", ["--preview", "--no-policies", "--stack", "dev", "--json", file]);
            assert.ok(result.status === 0 || result.status === 2, result.stderr);
            plan = JSON.parse(fs.readFileSync(file, "utf8"));
        });

        it("reports no hop broken: every hop that needs an unknown value is not judged, saying which", async () => {
            assert.equal(plan.mode, "preview");
            const report = await verifyPlan(plan);
            assert.deepEqual(
                report.hops.filter(isBroken).map((h) => `${h.requirement}: ${h.hop}: ${h.reason}`),
                [],
            );
            const notJudged = report.hops.filter(isNotJudged);
            assert.ok(notJudged.length > 20, `${notJudged.length} not judged`);
            assert.equal(report.summary.notJudged, notJudged.length);
            for (const hop of notJudged) {
                assert.match(hop.reason, /not judged: /, hop.hop);
                assert.ok((hop.waitedOn ?? []).length > 0, `${hop.requirement} ${hop.hop} names what it waited on`);
                assert.doesNotMatch(hop.reason, /cannot be evaluated|arn:aws:s3:::undefined/, hop.hop);
            }
            // What is known is still judged (lineage of declared locations, known trust policies…).
            assert.ok(report.summary.verified > 0);
        });

        it("groups the not-judged hops by what they waited on", async () => {
            const text = renderVerification(await verifyPlan(plan));
            assert.match(text, /^Verification: \d+ hops, \d+ verified, 0 broken, \d+ not judged$/m);
            assert.match(text, /not judged, by what the plan does not know yet/);
            assert.match(text, /^ {4}\d+ hops?: principal \(role\) ARN$/m);
            assert.match(text, /^ {4}\d+ hops?: network id/m);
        });

        it("takes the account and Region from known inputs when no ARN is known", async () => {
            const report = await verifyPlan(plan);
            for (const hop of report.hops) for (const r of hop.resources) assert.doesNotMatch(r, /^arn:aws:(glue|logs|dynamodb):::/, `${hop.hop}: ${r}`);
        });
    });

    describe("a preview of an update, where some resources are new", () => {
        it("judges the hops whose principal, target and policies are known, and reports a missing grant among them as denied", async () => {
            const preview = asPreview(queuePlan(), ["consumer", "consumer-policy"]);
            const report = await verifyPlan(preview);
            const producer = report.hops.find((h) => h.requirement === "sqs.producers-and-consumers" && h.principal.endsWith(":role/producer"));
            assert.equal(producer?.verdict, "allowed", producer?.reason);
            // The new consumer's permissions are unknown: its hop waits, it is not reported missing.
            const undecided = report.hops.find((h) => h.requirement === "sqs.producers-and-consumers" && isNotJudged(h));
            assert.match(undecided?.reason ?? "", /^not judged: the plan does not know the principal's ARN/);
            assert.deepEqual(report.hops.filter(isBroken), []);

            const broken = copyPlan(preview);
            removeStatements(broken, producer!.grants!);
            const after = (await verifyPlan(broken)).hops.find((h) => sameHop(h, producer!));
            assert.equal(after?.verdict, "denied", after?.reason);
        });

        it("judges a known role's trust policy while the function is new, and reports one that trusts the wrong service", async () => {
            const role = (name: string, service: string): PlannedResource => ({
                urn: `urn:pulumi:test::team::aws:iam/role:Role::${name}`,
                type: "aws:iam/role:Role",
                name,
                custom: true,
                parent: null,
                inputs: { name, assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] }) },
                id: name,
                outputs: { arn: `arn:aws:iam::${ACCOUNT}:role/${name}` },
            });
            const fn = (name: string, roleArn: string, roleUrn?: string): PlannedResource => ({
                urn: `urn:pulumi:test::team::aws:lambda/function:Function::${name}`,
                type: "aws:lambda/function:Function",
                name,
                custom: true,
                parent: null,
                inputs: { name, handler: "index.handler", role: roleArn },
                id: null,
                outputs: {},
                propertyDependencies: { role: roleUrn ? [roleUrn] : [] },
            });
            const trusting = role("runs-lambda", "lambda.amazonaws.com");
            const wrong = role("runs-glue", "glue.amazonaws.com");
            const plan: PlannedStack = {
                project: "team",
                stack: "test",
                mode: "preview",
                outputs: {},
                resources: [trusting, wrong, { ...role("new-role", "lambda.amazonaws.com"), id: null, outputs: {} }, fn("good", trusting.outputs!.arn), fn("bad", wrong.outputs!.arn), fn("waits", UNKNOWN, "urn:pulumi:test::team::aws:iam/role:Role::new-role")],
            };
            const hops = (await verifyPlan(plan, { only: ["lambda.execution-role"] })).hops;
            const verdict = (name: string) => hops.find((h) => h.hop === `Lambda runs ${name}`);
            assert.equal(verdict("good")?.verdict, "allowed");
            assert.equal(verdict("bad")?.verdict, "denied");
            assert.equal(verdict("waits")?.verdict, "not-judged");
            assert.deepEqual(verdict("waits")?.waitedOn, ["target resource ARN"]);
        });

        it("a policy whose role reference is unknown counts for the role it came from, and leaves a role's hop not judged when the plan does not say", async () => {
            const linked = queuePlan();
            const policy = resource(linked, "aws:iam/rolePolicy:RolePolicy", "producer-policy");
            const producerRole = resource(linked, "aws:iam/role:Role", "producer");
            policy.inputs.role = UNKNOWN;
            policy.propertyDependencies = { role: [producerRole.urn] };
            linked.mode = "preview";
            const hop = (plan: PlannedStack) => verifyPlan(plan, { only: ["sqs.producers-and-consumers"] }).then((r) => r.hops.find((h) => h.principal.endsWith(":role/producer")));
            assert.equal((await hop(linked))?.verdict, "allowed");

            const untraced = copyPlan(linked);
            delete resource(untraced, "aws:iam/rolePolicy:RolePolicy", "producer-policy").propertyDependencies;
            // Without the producer's grant the queue has no known sender: whether one exists waits on that policy.
            const report = await verifyPlan(untraced, { only: ["sqs.producers-and-consumers"] });
            assert.deepEqual(report.hops.filter(isBroken), []);
            assert.ok(report.hops.some((h) => isNotJudged(h) && /the role producer-policy applies to/.test(h.reason)));
        });

        it("a new key: the hops that use it, or whose policies name it, wait; none is reported broken", async () => {
            const report = await verifyPlan(asPreview(queuePlan(), ["queue-key"]));
            assert.deepEqual(report.hops.filter(isBroken), []);
            const waiting = report.hops.filter(isNotJudged);
            // The roles' policies name the key, so they are unknown as a whole: who sends and receives waits on them.
            const undecided = waiting.find((h) => h.requirement === "sqs.producers-and-consumers");
            assert.deepEqual(undecided?.waitedOn, ["policy document"]);
            assert.match(undecided?.reason ?? "", /policy producer-policy of role producer/);
        });
    });
});
