import * as assert from "node:assert/strict";
import * as path from "node:path";
import { type PolicyDiagnostic, PolicyPackServer, resolvePolicyConfig } from "../../cli/engine/policy-analyzer";
import { DEPTH_CASES } from "./depth-cases";
import { type KitResource, recordedRun } from "./kit";

/**
 * The catalog's IAM, S3-grant, resource-level and deploy-safety policies, judged through the
 * analyzer protocol as `pulumi preview --policy-pack` calls the pack: Analyze per resource, then
 * AnalyzeStack.
 */
describe("policy depth, through the analyzer protocol", () => {
    let server: PolicyPackServer;
    let configured: Record<string, string> = {};
    before(async () => {
        server = await PolicyPackServer.start(path.resolve(__dirname, "../../policies"));
    });
    after(() => server?.close());

    /** Configures every policy mandatory (with the case's parameters) once per distinct config. */
    async function evaluate(resources: KitResource[], params: Record<string, Record<string, unknown>> = {}): Promise<PolicyDiagnostic[]> {
        const document = { all: "mandatory", ...Object.fromEntries(Object.entries(params).map(([name, p]) => [name, { enforcementLevel: "mandatory", ...p }])) };
        const key = JSON.stringify(document);
        if (configured.key !== key) {
            await server.configure(resolvePolicyConfig(document, (await server.info()).policies, "test"));
            configured = { key };
        }
        return server.evaluate(recordedRun(resources));
    }

    for (const c of DEPTH_CASES) {
        describe(c.policy, () => {
            const params = c.params ? { [c.policy]: c.params } : {};
            it("reports nothing on the compliant resources", async () => {
                const findings = (await evaluate(c.ok, params)).filter((d) => d.policy === c.policy);
                assert.deepEqual(findings, []);
            });
            it("reports the violating resources, mandatory, on the resource that must change", async () => {
                const findings = (await evaluate(c.bad, params)).filter((d) => d.policy === c.policy);
                assert.match(findings.map((f) => f.message).join("\n"), c.expect);
                assert.ok(findings.every((f) => f.level === "mandatory" && f.urn.includes("::")));
            });
        });
    }

    it("judges a companion arriving alone, and reports a bad companion once, on the companion, when its bucket is in the stack", async () => {
        const bucket: KitResource = { type: "aws:s3/bucket:Bucket", name: "b", props: { bucket: "b" } };
        const block: KitResource = { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name: "pab", props: { bucket: "b", blockPublicAcls: false, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, deps: { bucket: ["b"] } };
        const publicAccess = (ds: PolicyDiagnostic[]) => ds.filter((d) => d.policy.startsWith("s3-public-access-block"));
        const alone = publicAccess(await evaluate([block]));
        assert.deepEqual(alone.map((d) => [d.policy, d.urn.split("::").pop()]), [["s3-public-access-block-settings", "pab"]]);
        const together = publicAccess(await evaluate([bucket, block]));
        assert.deepEqual(together.map((d) => [d.policy, d.urn.split("::").pop(), d.message]), [["s3-public-access-block-settings", "pab", "blockPublicAcls is not true; set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true"]]);
        const missing = publicAccess(await evaluate([bucket]));
        assert.deepEqual(missing.map((d) => [d.policy, d.message]), [["s3-public-access-block-present", "bucket b: has no public access block; add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets set to true"]]);
    });

    it("passes the resource options the engine passes: ignoreChanges reaches the deploy-safety policies", async () => {
        const autoscaled = (ignoreChanges?: string[]): KitResource[] => [
            { type: "aws:msk/cluster:Cluster", name: "k", props: { clusterName: "k" }, ignoreChanges },
            { type: "aws:appautoscaling/target:Target", name: "t", props: { scalableDimension: "kafka:broker-storage:VolumeSize" }, deps: { resourceId: ["k"] } },
        ];
        const policy = "dep-msk-storage-autoscaling-ignored";
        assert.equal((await evaluate(autoscaled())).filter((d) => d.policy === policy).length, 1);
        assert.equal((await evaluate(autoscaled(["brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize"]))).filter((d) => d.policy === policy).length, 0);
    });
});
