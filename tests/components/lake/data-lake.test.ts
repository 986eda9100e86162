import { ofType, policyOf, resourcesUnder, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { DataLake } from "../../../components/lake";
import { DEFAULT_LIFECYCLE } from "../../../config/schema";

describe("DataLake", () => {
    const build = (name: string) =>
        new DataLake(name, {
            namePrefix: name,
            account: testAccount,
            kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/lake",
            lifecycle: DEFAULT_LIFECYCLE,
            protection: { protect: false, removeDataOnDestroy: false },
        });

    it("creates raw, curated, analytics, access-log and artefacts buckets with globally unique names", async () => {
        const buckets = ofType(await resourcesUnder(build("dl-a")), "aws:s3/bucket:Bucket");
        assert.deepEqual(
            buckets.map((b) => b.inputs.bucket).sort(),
            ["analytics", "artefacts", "curated", "logs", "raw"].map((z) => `dl-a-${z}-123456789012-eu-west-1`),
        );
        assert.deepEqual(buckets.map((b) => (b.inputs.tags as Record<string, string>)["data-zone"]).sort(), ["analytics", "artefacts", "curated", "logs", "raw"]);
    });

    it("sends every zone's access logs to the log bucket, which does not log to itself", async () => {
        const resources = await resourcesUnder(build("dl-b"));
        const logging = ofType(resources, "aws:s3/bucketLogging:BucketLogging");
        assert.equal(logging.length, 4);
        assert.ok(logging.every((l) => l.inputs.targetBucket === "dl-b-logs-123456789012-eu-west-1"));
        assert.deepEqual(logging.map((l) => l.inputs.targetPrefix).sort(), ["analytics/", "artefacts/", "curated/", "raw/"]);
    });

    it("lets only S3 log delivery from this account's lake buckets write to the log bucket", async () => {
        const resources = await resourcesUnder(build("dl-c"));
        const policies = ofType(resources, "aws:s3/bucketPolicy:BucketPolicy");
        const logPolicy = policies.find((p) => p.name === "dl-c-logs")!;
        const allow = policyOf(logPolicy).Statement.find((s) => s.Effect === "Allow");
        assert.equal(allow.Principal.Service, "logging.s3.amazonaws.com");
        assert.equal(allow.Action, "s3:PutObject");
        assert.equal(allow.Condition.StringEquals["aws:SourceAccount"], "123456789012");
        assert.equal(allow.Condition.ArnLike["aws:SourceArn"], "arn:aws:s3:::dl-c-*");
    });

    it("applies each zone's own lifecycle", async () => {
        const resources = await resourcesUnder(build("dl-d"));
        const lifecycles = ofType(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
        const classesOf = (name: string) =>
            (lifecycles.find((l) => l.name === name)!.inputs.rules as any[])[0].transitions.map((t: any) => t.storageClass);
        assert.deepEqual(classesOf("dl-d-raw"), ["INTELLIGENT_TIERING", "GLACIER"]);
        assert.deepEqual(classesOf("dl-d-curated"), ["INTELLIGENT_TIERING"]);
        assert.deepEqual(classesOf("dl-d-analytics"), ["INTELLIGENT_TIERING"]);
        assert.deepEqual(classesOf("dl-d-logs"), ["GLACIER"]);
    });

    it("keeps code in an artefacts bucket whose lifecycle never expires or archives current objects; temporary directories go after a week", async () => {
        const resources = await resourcesUnder(build("dl-art"));
        const lifecycle = ofType(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((l) => String(l.inputs.bucket).includes("-artefacts-"))!;
        const rules = lifecycle.inputs.rules as any[];
        const everything = rules.filter((r) => !r.filter?.prefix);
        assert.ok(everything.every((r) => !r.expiration?.days && (r.transitions ?? []).every((t: any) => t.storageClass === "INTELLIGENT_TIERING")));
        assert.deepEqual(rules.filter((r) => r.filter?.prefix).map((r) => [r.filter.prefix, r.expiration.days]), [["tmp/", 7]]);
    });

    it("expires what ETL runs leave under the curated bucket's staging root and their change sets after the run records' lifetime, and nothing else of any zone", async () => {
        const resources = await resourcesUnder(build("dl-stg"));
        const prefixed = (zone: string) =>
            (ofType(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((l) => l.name === `dl-stg-${zone}`)!.inputs.rules as any[])
                .filter((r) => r.filter?.prefix)
                .map((r) => [r.filter.prefix, r.expiration.days]);
        assert.deepEqual(prefixed("curated"), [
            ["_staging/", 7],
            ["_changes/", 90],
        ]);
        assert.deepEqual([prefixed("raw"), prefixed("analytics")], [[], []]);
    });
});
