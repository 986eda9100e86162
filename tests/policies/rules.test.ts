import * as assert from "node:assert/strict";
import { REMEDIABLE_TYPES } from "../../policies/remediable-types";
import { POLICY_METADATA } from "../../policies/catalog";
import { DEPTH_CASES } from "./depth-cases";
import { checkResource, checkStack, type KitResource, policyNamed } from "./kit";

import { CASES, estimateOf, T } from "./cases";

describe("policies", () => {
    it("every policy of the pack has a compliant and a violating case", () => {
        const missing = POLICY_METADATA.map((m) => m.name).filter((n) => !(n in CASES) && !DEPTH_CASES.some((c) => c.policy === n));
        assert.deepEqual(missing, []);
        const unknown = Object.keys(CASES).filter((n) => !POLICY_METADATA.some((m) => m.name === n));
        assert.deepEqual(unknown, []);
    });

    it("every policy carries severity, references, remediation and a framework", () => {
        for (const meta of POLICY_METADATA) {
            const policy = policyNamed(meta.name);
            assert.ok(policy.severity && policy.remediationSteps && policy.framework && policy.tags?.some((t) => t.startsWith("family:")), meta.name);
            assert.ok(meta.refs.isNew || meta.refs.fsbp || meta.refs.checkov?.length || meta.refs.config, `${meta.name} has no reference`);
        }
    });

    it("remediates only where the fix is safe, and returns the fixed properties", () => {
        const remediable = POLICY_METADATA.map((m) => policyNamed(m.name)).filter((p: any) => p.remediateResource);
        assert.deepEqual(remediable.map((p) => p.name).sort(), ["cloudtrail-log-validation", "kms-key-rotation", "s3-no-force-destroy", "subnet-no-public-ip-on-launch"]);
        // The plan sends Remediate only for the types these fix (policies/remediable-types.ts).
        const fixedTypes = POLICY_METADATA.filter((m: any) => m.remediate).flatMap((m: any) => m.types as string[]);
        assert.ok(!fixedTypes.includes("*"), "a remediable policy for every type would need Remediate for every resource");
        assert.deepEqual([...new Set(fixedTypes)].sort(), [...REMEDIABLE_TYPES].sort());
        const fix = (policyNamed("kms-key-rotation") as any).remediateResource({ type: T.key, props: { enableKeyRotation: false, description: "k" }, getConfig: () => ({}) });
        assert.deepEqual(fix, { enableKeyRotation: true, description: "k" });
        assert.equal((policyNamed("kms-key-rotation") as any).remediateResource({ type: T.key, props: { enableKeyRotation: true }, getConfig: () => ({}) }), undefined);
        assert.ok(policyNamed("kms-key-rotation").tags?.includes("remediation:safe"));
    });

    for (const [name, c] of Object.entries(CASES)) {
        describe(name, () => {
            it("passes a compliant resource", async () => {
                const findings = c.kind === "resource" ? await checkResource(name, c.ok, c.config) : await checkStack(name, c.ok, c.config);
                assert.deepEqual(findings, []);
            });
            it("reports a violating resource", async () => {
                const findings = c.kind === "resource" ? await checkResource(name, c.bad, c.config) : (await checkStack(name, c.bad, c.config)).map(([, m]) => m);
                assert.ok(findings.length > 0, "no violation reported");
                // One line each, saying what is wrong and, after a semicolon, what would satisfy the rule.
                for (const f of findings) assert.match(f, /^[^\n]+; [^\n]+$/, f);
                if (c.expect) assert.match(findings.join("\n"), c.expect);
            });
        });
    }

    for (const c of DEPTH_CASES) {
        describe(`${c.policy} (catalog depth)`, () => {
            const run = async (resources: KitResource[]) => {
                const policy = policyNamed(c.policy) as any;
                if (policy.validateStack) return (await checkStack(c.policy, resources, c.params)).map(([, m]) => m);
                return (await Promise.all(resources.map((res) => checkResource(c.policy, res, c.params)))).flat();
            };
            it("passes the compliant resources", async () => {
                assert.deepEqual(await run(c.ok), []);
            });
            it("reports the violating resources", async () => {
                assert.match((await run(c.bad)).join("\n"), c.expect);
            });
        });
    }

    it("cost-within-budget: an incomplete estimate fails unless the environment accepts its gaps by name", async () => {
        const incomplete = { ...estimateOf(900, 1000), complete: false, unpriced: ["kms.key: customer-managed key"], usageDependent: ["lambda.requests: requests on validator", "nat.gb: NAT data processed on nat"] };
        const stack = [{ type: "pulumi:pulumi:Stack", name: "stack", props: { costEstimate: incomplete } }];
        const [[, message]] = await checkStack("cost-within-budget", stack);
        assert.match(message, /^the estimate of \$900\.00 is incomplete: 1 line unpriced \(kms\.key: customer-managed key\), 2 usage-dependent \(lambda\.requests: requests on validator; nat\.gb: NAT data processed on nat\)/);
        assert.equal((await checkStack("cost-within-budget", stack, { acceptedGaps: ["kms.key", "lambda.requests"] })).length, 1, "one gap is still not accepted");
        assert.deepEqual(await checkStack("cost-within-budget", stack, { acceptedGaps: ["kms.key", "lambda.requests", "nat.gb: NAT data processed on nat"] }), []);
    });

    it("sqs-dead-letter-queue: a queue that is a schedule's, rule target's, function's or event source mapping's dead-letter queue needs none of its own", async () => {
        const dlq = (name: string) => ({ type: T.queue, name, props: { arn: `arn:aws:sqs:eu-west-1:1:${name}` } });
        const parked = [
            { type: "aws:scheduler/schedule:Schedule", name: "s", props: { target: { deadLetterConfig: { arn: "arn:aws:sqs:eu-west-1:1:q1" } } } },
            { type: "aws:cloudwatch/eventTarget:EventTarget", name: "t", props: { deadLetterConfig: { arn: "arn:aws:sqs:eu-west-1:1:q2" } } },
            { type: "aws:lambda/function:Function", name: "f", props: { deadLetterConfig: { targetArn: "arn:aws:sqs:eu-west-1:1:q3" } } },
            { type: "aws:lambda/eventSourceMapping:EventSourceMapping", name: "m", props: { destinationConfig: { onFailure: { destinationArn: "arn:aws:sqs:eu-west-1:1:q4" } } } },
        ];
        assert.deepEqual(await checkStack("sqs-dead-letter-queue", [dlq("q1"), dlq("q2"), dlq("q3"), dlq("q4"), ...parked]), []);
        assert.equal((await checkStack("sqs-dead-letter-queue", [dlq("q1"), dlq("q5"), parked[0]])).length, 1, "a queue no one parks anything in still needs its own");
    });
});
