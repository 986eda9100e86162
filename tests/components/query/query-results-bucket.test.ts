import { ofType, policyOf, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { QueryResultsBucket } from "../../../components/query";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/lake";

describe("QueryResultsBucket", () => {
    const build = (name: string, more: { resultExpirationDays?: number; protect?: boolean; removeDataOnDestroy?: boolean } = {}) =>
        new QueryResultsBucket(name, {
            namePrefix: name,
            account: testAccount,
            kmsKeyArn: KEY,
            accessLogs: { bucket: `${name}-logs-123456789012-eu-west-1`, prefix: "query-results/" },
            resultExpirationDays: more.resultExpirationDays,
            protection: { protect: more.protect ?? false, removeDataOnDestroy: more.removeDataOnDestroy ?? false },
        });

    it("is a globally unique bucket under the prefix the lake's log bucket admits, tagged query-results", async () => {
        const bucket = single(await resourcesUnder(build("qr-a")), "aws:s3/bucket:Bucket");
        assert.equal(bucket.inputs.bucket, "qr-a-results-123456789012-eu-west-1");
        assert.deepEqual(bucket.inputs.tags, { "data-zone": "query-results" });
    });

    it("encrypts with the customer-managed key, denies requests without TLS 1.2, blocks public access and disables ACLs", async () => {
        const resources = await resourcesUnder(build("qr-b"));
        const sse = (single(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules as any[])[0];
        assert.deepEqual(sse.applyServerSideEncryptionByDefault, { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY });
        const statements = policyOf(single(resources, "aws:s3/bucketPolicy:BucketPolicy")).Statement;
        assert.deepEqual(
            statements.map((s) => [s.Sid, s.Effect]),
            [
                ["DenyInsecureTransport", "Deny"],
                ["DenyTlsBelow12", "Deny"],
            ],
        );
        const block = single(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
        assert.deepEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [true, true, true, true]);
        assert.deepEqual(single(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
    });

    it("is versioned and logs to the lake's access-log bucket", async () => {
        const resources = await resourcesUnder(build("qr-c"));
        assert.deepEqual(single(resources, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration, { status: "Enabled" });
        const logging = single(resources, "aws:s3/bucketLogging:BucketLogging").inputs;
        assert.deepEqual([logging.targetBucket, logging.targetPrefix], ["qr-c-logs-123456789012-eu-west-1", "query-results/"]);
    });

    it("expires results after 30 days unless told otherwise, old versions after a day, and aborts uploads a cancelled query left", async () => {
        const ruleOf = async (name: string, days?: number) =>
            (single(await resourcesUnder(build(name, { resultExpirationDays: days })), "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as any[])[0];
        const standard = await ruleOf("qr-d");
        assert.deepEqual(standard.expiration, { days: 30 });
        assert.deepEqual(standard.transitions, []);
        assert.deepEqual(standard.noncurrentVersionExpiration, { noncurrentDays: 1 });
        assert.deepEqual(standard.abortIncompleteMultipartUpload, { daysAfterInitiation: 1 });
        assert.deepEqual((await ruleOf("qr-e", 7)).expiration, { days: 7 });
    });

    it("protects and retains results unless both destroy switches are set", async () => {
        const prod = single(await resourcesUnder(build("qr-prod", { protect: true })), "aws:s3/bucket:Bucket");
        assert.deepEqual([prod.protect, prod.retainOnDelete, prod.inputs.forceDestroy], [true, true, false]);
        const dev = single(await resourcesUnder(build("qr-dev", { removeDataOnDestroy: true })), "aws:s3/bucket:Bucket");
        assert.deepEqual([dev.protect, dev.retainOnDelete, dev.inputs.forceDestroy], [false, false, true]);
    });

    it("exposes the bucket's name and ARN", async () => {
        const component = build("qr-f");
        const resources = await resourcesUnder(component);
        assert.equal(ofType(resources, "aws:s3/bucket:Bucket").length, 1);
        const name = await new Promise((resolve) => component.bucketName.apply(resolve));
        assert.equal(name, "qr-f-results-123456789012-eu-west-1");
    });
});
