import { resourcesUnder, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { AthenaWorkgroups, QueryResultsBucket } from "../../../components/query";
import { POLICIES } from "../../../policies/catalog";
import { checkResource, checkStack, type KitResource } from "../../policies/kit";

/** Policies the deliberate omissions of the pack leave advisory, whatever the bucket (policies/README.md). */
const ADVISORY_BY_DESIGN = ["s3-object-lock-log-buckets", "s3-cross-region-replication", "s3-event-notifications", "stateful-resources-protected"];

/**
 * The query path as a stack declares it, judged by the policies about what it creates: Athena
 * workgroups, S3 buckets and IAM policies. Every one must be silent, so that wiring the path
 * into an environment adds no violation.
 */
describe("the query path under the guardrails", () => {
    it("passes every Athena, S3 and IAM policy of the pack", async () => {
        const protection = { protect: true, removeDataOnDestroy: false };
        const bucket = new QueryResultsBucket("gq", {
            namePrefix: "gq",
            account: testAccount,
            kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/lake",
            accessLogs: { bucket: "gq-logs-123456789012-eu-west-1", prefix: "query-results/" },
            protection,
        });
        const workgroups = new AthenaWorkgroups("gq", {
            namePrefix: "gq",
            account: testAccount,
            personas: { analysts: { attachToRoleNames: ["Analysts"] }, ml: {} },
            resultsBucket: { name: bucket.bucketName, arn: bucket.arn },
            resultsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/lake",
            catalogKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/lake",
            protection,
        });
        const recorded = [...(await resourcesUnder(bucket)), ...(await resourcesUnder(workgroups))];
        // The kit keys resources by name; a component's children share names across types.
        const kitName = (r: (typeof recorded)[number]) => `${r.type.split(":").pop()}:${r.name}`;
        const names = new Map(recorded.map((r) => [r.urn, kitName(r)]));
        const resources: KitResource[] = recorded.map((r) => ({
            type: r.type,
            name: kitName(r),
            props: { ...r.inputs, ...r.outputs },
            protect: r.protect,
            deps: Object.fromEntries(Object.entries(r.propertyDependencies).map(([prop, urns]) => [prop, urns.filter((u) => names.has(u)).map((u) => names.get(u)!)])),
        }));
        assert.equal(new Set(resources.map((r) => r.name)).size, resources.length);
        assert.ok(resources.some((r) => r.type === "aws:athena/workgroup:Workgroup") && resources.some((r) => r.type === "aws:iam/policy:Policy"));

        const judged = POLICIES.filter((p) => /^(athena|s3|iam)-/.test(p.name) && !ADVISORY_BY_DESIGN.includes(p.name));
        assert.ok(judged.filter((p) => p.name.startsWith("athena-")).length === 6);
        const findings: string[] = [];
        for (const policy of judged) {
            if ((policy as StackValidationPolicy).validateStack) {
                for (const [name, message] of await checkStack(policy.name, resources)) findings.push(`${policy.name} on ${name}: ${message}`);
            } else if ((policy as ResourceValidationPolicy).validateResource) {
                for (const resource of resources) for (const message of await checkResource(policy.name, resource)) findings.push(`${policy.name} on ${resource.name}: ${message}`);
            }
        }
        assert.deepEqual(findings, []);

        // The same resources do reach the policies: without the results' lifecycle neither persona's results expire, without the bucket policy TLS is not required.
        const withoutLifecycle = resources.filter((r) => r.type !== "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
        assert.deepEqual(
            (await checkStack("athena-results-expire", withoutLifecycle)).map(([name]) => name).sort(),
            ["Workgroup:gq-analysts", "Workgroup:gq-ml"],
        );
        const withoutPolicy = resources.filter((r) => r.type !== "aws:s3/bucketPolicy:BucketPolicy");
        assert.deepEqual((await checkStack("s3-tls-only", withoutPolicy)).map(([name]) => name), ["Bucket:gq"]);
    });
});
