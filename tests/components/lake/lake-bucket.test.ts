import { policyOf, resourcesUnder, single } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { LakeBucket, lifecycleRules } from "../../../components/lake";
import { DEFAULT_LIFECYCLE } from "../../../config/schema";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/lake";

describe("LakeBucket", () => {
    const build = (name: string, protect = false, removeDataOnDestroy = false) =>
        new LakeBucket(name, {
            bucketName: `${name}-bucket`,
            zone: "raw",
            kmsKeyArn: KEY,
            lifecycle: DEFAULT_LIFECYCLE.raw,
            accessLogs: { bucket: "logs-bucket", prefix: "raw/" },
            protection: { protect, removeDataOnDestroy },
        });

    it("encrypts with the customer-managed key and S3 bucket keys", async () => {
        const sse = single(await resourcesUnder(build("lb-a")), "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        const rule = (sse.inputs.rules as any[])[0];
        assert.deepEqual(rule.applyServerSideEncryptionByDefault, { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY });
        assert.equal(rule.bucketKeyEnabled, true);
    });

    it("denies every request without TLS 1.2", async () => {
        const statements = policyOf(single(await resourcesUnder(build("lb-b")), "aws:s3/bucketPolicy:BucketPolicy")).Statement;
        const insecure = statements.find((s) => s.Sid === "DenyInsecureTransport");
        assert.equal(insecure.Effect, "Deny");
        assert.deepEqual(insecure.Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.deepEqual(insecure.Resource, ["arn:aws:s3:::lb-b-bucket", "arn:aws:s3:::lb-b-bucket/*"]);
        assert.ok(statements.some((s) => s.Condition?.NumericLessThan?.["s3:TlsVersion"] === "1.2"));
        assert.ok(statements.every((s) => s.Effect === "Deny"), "a zone bucket policy grants nothing");
    });

    it("blocks all public access and disables ACLs", async () => {
        const resources = await resourcesUnder(build("lb-c"));
        const block = single(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
        assert.deepEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [true, true, true, true]);
        const ownership = single(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs;
        assert.deepEqual(ownership.rule, { objectOwnership: "BucketOwnerEnforced" });
    });

    it("is versioned, logs to the access-log bucket and carries its data-zone tag", async () => {
        const resources = await resourcesUnder(build("lb-d"));
        assert.deepEqual(single(resources, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration, { status: "Enabled" });
        const logging = single(resources, "aws:s3/bucketLogging:BucketLogging").inputs;
        assert.equal(logging.targetBucket, "logs-bucket");
        assert.equal(logging.targetPrefix, "raw/");
        assert.deepEqual(single(resources, "aws:s3/bucket:Bucket").inputs.tags, { "data-zone": "raw" });
    });

    it("tiers, expires noncurrent versions and aborts stale uploads", async () => {
        const lifecycle = single(await resourcesUnder(build("lb-e")), "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
        const [rule] = lifecycle.inputs.rules as any[];
        assert.equal(rule.status, "Enabled");
        assert.deepEqual(rule.transitions, [
            { days: 30, storageClass: "INTELLIGENT_TIERING" },
            { days: 180, storageClass: "GLACIER" },
        ]);
        assert.deepEqual(rule.noncurrentVersionExpiration, { noncurrentDays: 30 });
        assert.deepEqual(rule.abortIncompleteMultipartUpload, { daysAfterInitiation: 3 });
    });

    it("cleans expired delete markers only when objects never expire", () => {
        assert.equal(lifecycleRules(DEFAULT_LIFECYCLE.raw).length, 2);
        const withExpiry = lifecycleRules(DEFAULT_LIFECYCLE.accessLogs);
        assert.equal(withExpiry.length, 1);
        assert.deepEqual(withExpiry[0].expiration, { days: 365 });
    });

    it("protects and retains data unless both destroy switches are set", async () => {
        const prod = single(await resourcesUnder(build("lb-prod", true, false)), "aws:s3/bucket:Bucket");
        assert.deepEqual([prod.protect, prod.retainOnDelete, prod.inputs.forceDestroy], [true, true, false]);
        const staging = single(await resourcesUnder(build("lb-stg", false, false)), "aws:s3/bucket:Bucket");
        assert.deepEqual([staging.protect, staging.retainOnDelete, staging.inputs.forceDestroy], [false, true, false]);
        const dev = single(await resourcesUnder(build("lb-dev", false, true)), "aws:s3/bucket:Bucket");
        assert.deepEqual([dev.protect, dev.retainOnDelete, dev.inputs.forceDestroy], [false, false, true]);
    });
});
