import * as assert from "node:assert/strict";
import * as path from "node:path";
import { type PolicyDiagnostic, PolicyPackServer, resolvePolicyConfig } from "../../cli/engine/policy-analyzer";
import { POLICY_METADATA } from "../../policies/catalog";
import { CASES, doc, goodMsk, goodRedshift, goodWorkgroup, r, T } from "./cases";
import { DEPTH_CASES } from "./depth-cases";
import type { KitResource } from "./kit";
import { recordedRun } from "./kit";

const ACCESS_POINT = "aws:s3/accessPoint:AccessPoint";
const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/lake";
const without = (props: Record<string, any>, ...keys: string[]) => Object.fromEntries(Object.entries(props).filter(([k]) => !keys.includes(k)));

/** A raw-zone bucket whose versioning, encryption, logging, lifecycle and policy are all inline. */
function inlineBucket(overrides: Record<string, unknown> = {}): KitResource[] {
    return [
        r(T.bucket, "b-inline", {
            bucket: "b-inline",
            arn: "arn:aws:s3:::b-inline",
            tags: { "data-zone": "raw" },
            versioning: { enabled: true },
            serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true } },
            logging: { targetBucket: "access-logs", targetPrefix: "b-inline/" },
            lifecycleRules: [
                {
                    id: "tiering",
                    enabled: true,
                    transitions: [
                        { days: 30, storageClass: "INTELLIGENT_TIERING" },
                        { days: 180, storageClass: "GLACIER" },
                    ],
                    noncurrentVersionExpiration: { days: 30 },
                    abortIncompleteMultipartUploadDays: 3,
                },
            ],
            policy: doc({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::b-inline", "arn:aws:s3:::b-inline/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }),
            ...overrides,
        }),
        r(T.pab, "b-inline-pab", { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, { deps: { bucket: ["b-inline"] } }),
        r(T.ownership, "b-inline-own", { rule: { objectOwnership: "BucketOwnerEnforced" } }, { deps: { bucket: ["b-inline"] } }),
    ];
}

/**
 * Compliant shapes beyond each policy's own compliant case: settings given inline instead of as
 * companions, and properties omitted where the provider's default is compliant.
 */
const SHAPES: Record<string, KitResource[][]> = {
    "redshift-not-public": [[r(T.redshift, "w", without(goodRedshift, "publiclyAccessible"))]],
    "redshift-cmk": [[r(T.redshift, "w", without(goodRedshift, "encrypted"))]],
    "redshift-version-upgrade": [[r(T.redshift, "w", without(goodRedshift, "allowVersionUpgrade"))]],
    "redshift-serverless-not-public": [[r(T.workgroup, "g", without(goodWorkgroup, "publiclyAccessible"))]],
    "msk-tls-in-transit": [[r(T.msk, "k", { ...goodMsk, encryptionInfo: { encryptionAtRestKmsKeyArn: "arn:key" } })]],
    "s3-access-point-public-access-blocked": [[r(ACCESS_POINT, "ap", { bucket: "b", name: "ap" })], [r(ACCESS_POINT, "ap", { bucket: "b", name: "ap", publicAccessBlockConfiguration: {} })]],
    "cloudtrail-logging-on": [[r(T.trail, "t", { s3BucketName: "logs" })]],
    "kms-key-enabled": [[r(T.key, "k", {})]],
    "kms-deletion-window": [[r(T.key, "k", {})]],
    "subnet-no-public-ip-on-launch": [[r(T.subnet, "s", {})]],
    "s3-no-force-destroy": [[r(T.bucket, "b", {})]],
    "s3-versioning": [inlineBucket()],
    "s3-versioning-enabled": [inlineBucket()],
    "s3-default-encryption-present": [inlineBucket()],
    "s3-encryption-configuration-cmk": [inlineBucket()],
    "s3-access-logging": [inlineBucket()],
    "s3-lifecycle-transition": [inlineBucket()],
    "s3-noncurrent-versions-expire": [inlineBucket()],
    "s3-abort-incomplete-uploads": [inlineBucket()],
    "s3-zone-tiering": [inlineBucket()],
    "s3-tls-only": [inlineBucket()],
    "s3-policy-no-public-principal": [inlineBucket()],
    "s3-policy-no-deny-all-lockout": [inlineBucket()],
};

/**
 * Precision: a guardrail that cries wolf gets disabled. Every policy is fed every compliant shape
 * known for it through the analyzer protocol, as the engine calls the pack, and must stay silent.
 */
describe("policy precision, through the analyzer protocol", () => {
    let server: PolicyPackServer;
    let configured = "";
    before(async () => {
        server = await PolicyPackServer.start(path.resolve(__dirname, "../../policies"));
    });
    after(() => server?.close());

    async function evaluate(resources: KitResource[], params: Record<string, Record<string, unknown>> = {}): Promise<PolicyDiagnostic[]> {
        const document = { all: "mandatory", ...Object.fromEntries(Object.entries(params).map(([name, p]) => [name, { enforcementLevel: "mandatory", ...p }])) };
        if (JSON.stringify(document) !== configured) {
            await server.configure(resolvePolicyConfig(document, (await server.info()).policies, "test"));
            configured = JSON.stringify(document);
        }
        return server.evaluate(recordedRun(resources));
    }

    for (const meta of POLICY_METADATA) {
        it(`${meta.name} stays silent on every compliant shape`, async () => {
            const own = CASES[meta.name];
            const shapes: { resources: KitResource[]; config?: Record<string, unknown> }[] = [
                ...(own ? [{ resources: [own.ok].flat(), config: own.config }] : []),
                ...DEPTH_CASES.filter((c) => c.policy === meta.name).map((c) => ({ resources: c.ok, config: c.params })),
                ...(SHAPES[meta.name] ?? []).map((resources) => ({ resources })),
            ];
            assert.ok(shapes.length > 0, "no compliant shape");
            for (const shape of shapes) {
                const findings = (await evaluate(shape.resources, shape.config ? { [meta.name]: shape.config } : {})).filter((d) => d.policy === meta.name);
                assert.deepEqual(
                    findings.map((f) => f.message),
                    [],
                    `${meta.name} on ${shape.resources.map((x) => x.name).join(", ")}`,
                );
            }
        });
    }

    const findingsOf = async (policy: string, resources: KitResource[]) => (await evaluate(resources)).filter((d) => d.policy === policy).map((d) => `${d.urn.split("::").pop()}: ${d.message}`);

    it("judges a bad inline setting as such, on the bucket that carries it", async () => {
        assert.match(
            (await findingsOf("s3-versioning-enabled", inlineBucket({ versioning: { enabled: false } }))).join("\n"),
            /^b-inline: inline versioning.enabled is not true/,
        );
        assert.match(
            (await findingsOf("s3-encryption-configuration-cmk", inlineBucket({ serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } } }))).join("\n"),
            /^b-inline: inline serverSideEncryptionConfiguration encrypts with AES256, not SSE-KMS/,
        );
        assert.match((await findingsOf("s3-access-logging", inlineBucket({ logging: undefined }))).join("\n"), /has no server access logging/);
        assert.match((await findingsOf("s3-lifecycle-transition", inlineBucket({ lifecycleRules: [{ enabled: false, transitions: [{ days: 30, storageClass: "GLACIER" }] }] }))).join("\n"), /has no enabled lifecycle rule/);
        assert.match((await findingsOf("s3-abort-incomplete-uploads", inlineBucket({ lifecycleRules: [{ enabled: true, expiration: { days: 30 } }] }))).join("\n"), /^b-inline: no enabled rule aborts/);
        assert.match((await findingsOf("s3-tls-only", inlineBucket({ policy: undefined }))).join("\n"), /no policy statement denies requests without TLS/);
    });

    it("says so when an inline setting and its companion disagree, and names what each says", async () => {
        const suspended = r(T.versioning, "b-inline-ver", { versioningConfiguration: { status: "Suspended" } }, { deps: { bucket: ["b-inline"] } });
        const versioning = await findingsOf("s3-versioning", [...inlineBucket(), suspended]);
        assert.deepEqual(versioning, ["b-inline: bucket b-inline: its versioning shapes disagree (the inline block: Enabled; BucketVersioning b-inline-ver: Suspended); keep one"]);
        const aes = r(T.sse, "b-inline-sse", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, { deps: { bucket: ["b-inline"] } });
        assert.match((await findingsOf("s3-default-encryption-present", [...inlineBucket(), aes])).join("\n"), /encryption shapes disagree \(the inline block: aws:kms; BucketServerSideEncryptionConfiguration b-inline-sse: AES256\)/);
        const lifecycle = r(T.lifecycle, "b-inline-lc", { rules: [{ status: "Enabled", transitions: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }] }] }, { deps: { bucket: ["b-inline"] } });
        assert.match((await findingsOf("s3-lifecycle-transition", [...inlineBucket(), lifecycle])).join("\n"), /both inline lifecycleRules and an aws.s3.BucketLifecycleConfiguration/);
    });

    it("names the real problem: a lifecycle that only aborts uploads is not 'no lifecycle rule'", async () => {
        const abortOnly = r(T.lifecycle, "b-inline-lc", { rules: [{ status: "Enabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 3 } }] }, { deps: { bucket: ["b-inline"] } });
        const bucket = inlineBucket({ lifecycleRules: undefined });
        assert.deepEqual(await findingsOf("s3-lifecycle-transition", [...bucket, abortOnly]), [
            "b-inline: bucket b-inline: its enabled lifecycle rules neither transition nor expire current objects (they only abort uploads or expire old versions); add a transition",
        ]);
    });
});
