import type { PolicyResource } from "@pulumi/policy";
import { COMPANION, companionEncryption, companionLifecycle, companionsOf, companionVersioning, describe, inlineEncryption, inlineLifecycle, inlineLogging, inlineVersioning, settingsOf, withV2Alias } from "../lib/bucket-settings";
import { asArray, isFalse, isPublicPrincipal, isTrue, normalStatements, ownTags, publicAllows } from "../lib/props";
import { type Finding, resourceRule, stackRule } from "../lib/rule";
import { StackIndex } from "../lib/stack";

const BUCKET = "aws:s3/bucket:Bucket";
/** @pulumi/aws 7 keeps the V2 names as deprecated aliases; other teams' programs still use them. */
const BUCKETS = [BUCKET, "aws:s3/bucketV2:BucketV2"];
const ACCESS_POINT = "aws:s3/accessPoint:AccessPoint";
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
const LOGGING = "aws:s3/bucketLogging:BucketLogging";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
const OBJECT_LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";
const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const NOTIFICATION = "aws:s3/bucketNotification:BucketNotification";
const ACL = "aws:s3/bucketAcl:BucketAcl";
const TRAIL = "aws:cloudtrail/trail:Trail";

/** Companions of one type (or its V2 alias) attached to a bucket. */
function companions(index: StackIndex, bucket: PolicyResource, type: string): PolicyResource[] {
    return companionsOf(index, bucket, withV2Alias(type));
}

/** Each bucket of the stack with the sub-resources of one type attached to it. */
function perBucket(resources: PolicyResource[], type: string, judge: (bucket: PolicyResource, attached: PolicyResource[], index: StackIndex) => string | undefined): Finding[] {
    const index = new StackIndex(resources);
    const findings: Finding[] = [];
    for (const bucket of index.ofType(...BUCKETS)) {
        const attached = companions(index, bucket, type);
        const message = judge(bucket, attached, index);
        if (message) findings.push({ message: `bucket ${bucket.name}: ${message}`, resource: bucket });
    }
    return findings;
}

const PAB_SETTINGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
const PUBLIC_CANNED_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GROUPS = ["AllUsers", "AuthenticatedUsers"];

/** Buckets that receive server access logs from others (they must not log into themselves). */
function logTargets(index: StackIndex): Set<string> {
    const targets = new Set<string>();
    for (const logging of index.ofType(...withV2Alias(LOGGING))) {
        for (const source of index.sourcesOf(logging, "targetBucket")) targets.add(source.urn);
        for (const bucket of index.ofType(...BUCKETS)) if (bucket.props.bucket && bucket.props.bucket === logging.props.targetBucket) targets.add(bucket.urn);
    }
    const inlineTargets = new Set(index.ofType(...BUCKETS).flatMap((b) => inlineLogging(b.props).map((l) => l.targetBucket)));
    for (const bucket of index.ofType(...BUCKETS)) if (bucket.props.bucket && inlineTargets.has(bucket.props.bucket)) targets.add(bucket.urn);
    return targets;
}

export const s3Policies = [
    stackRule({
        name: "s3-public-access-block-present",
        family: "ACC",
        severity: "high",
        description: "Every bucket has a public access block (its settings are judged on the block itself by s3-public-access-block-settings).",
        remediation: "Add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets set to true.",
        refs: { fsbp: "S3.8", checkov: ["CKV2_AWS_6"], config: "s3-bucket-level-public-access-prohibited", controlTower: "CT.S3.PR.1" },
        check: (resources) => perBucket(resources, PAB, (_b, blocks) => (blocks.length > 0 ? undefined : "has no public access block")),
    }),
    resourceRule({
        name: "s3-public-access-block-settings",
        family: "ACC",
        severity: "high",
        description: "A bucket public access block turns all four settings on (each defaults to false when omitted), judged on the block itself wherever its bucket is defined.",
        remediation: "Set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.",
        refs: { fsbp: "S3.8", checkov: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"], config: "s3-bucket-level-public-access-prohibited" },
        types: [PAB],
        check: ({ props }) => {
            const off = PAB_SETTINGS.filter((k) => !isTrue(props[k]));
            return off.length ? `${off.join(", ")} ${off.length === 1 ? "is" : "are"} not true` : undefined;
        },
    }),
    resourceRule({
        name: "s3-access-point-public-access-blocked",
        family: "ACC",
        severity: "critical",
        description: "S3 access points keep all four public access block settings on (AWS turns each on when omitted).",
        remediation: "Remove the false settings from publicAccessBlockConfiguration, or set them to true.",
        refs: { fsbp: "S3.19", checkov: ["CKV_AWS_392"] },
        types: [ACCESS_POINT],
        check: ({ props }) => {
            const block = props.publicAccessBlockConfiguration;
            const off = block && typeof block === "object" ? PAB_SETTINGS.filter((k) => isFalse(block[k])) : [];
            return off.length ? `access point turns ${off.join(", ")} off` : undefined;
        },
    }),
    resourceRule({
        name: "s3-no-public-acl",
        family: "ACC",
        severity: "critical",
        description: "No bucket or bucket ACL grants anything to AllUsers or AuthenticatedUsers, by canned ACL or by an explicit grantee, at any permission.",
        remediation: "Remove the public canned ACL and the AllUsers/AuthenticatedUsers grants; keep ACLs disabled with BucketOwnerEnforced ownership.",
        refs: { fsbp: "S3.2", checkov: ["CKV_AWS_20", "CKV_AWS_57", "CKV2_AWS_43", "CKV_AWS_375"], config: "s3-bucket-public-read-prohibited" },
        types: [...BUCKETS, ...withV2Alias(ACL)],
        check: ({ props }) => {
            const problems: string[] = [];
            const acl = props.acl;
            if (typeof acl === "string" && PUBLIC_CANNED_ACLS.includes(acl)) problems.push(`canned ACL ${acl} makes the bucket public`);
            // Bucket (inline `grants`) and BucketAcl (`accessControlPolicy.grants[].grantee`).
            const grants = [...asArray(props.grants), ...asArray(props.accessControlPolicy?.grants)].filter((g: any) => g && typeof g === "object");
            for (const grant of grants as any[]) {
                const uri = String(grant.grantee?.uri ?? grant.uri ?? "");
                const group = PUBLIC_GROUPS.find((g) => uri.endsWith(`/global/${g}`));
                if (group) problems.push(`grants ${[grant.permission, ...asArray(grant.permissions)].filter(Boolean).join(", ") || "access"} to ${group}`);
            }
            return problems;
        },
    }),
    stackRule({
        name: "s3-tls-only",
        family: "ENC",
        severity: "medium",
        description: "Every bucket's policy (an aws.s3.BucketPolicy or the bucket's inline policy) denies requests made without TLS (aws:SecureTransport false).",
        remediation: 'Add a bucket policy statement: Effect Deny, Principal "*", Action s3:*, on the bucket and its objects, Condition Bool aws:SecureTransport "false".',
        refs: { fsbp: "S3.5", config: "s3-bucket-ssl-requests-only", controlTower: "CT.S3.PR.8" },
        check: (resources) =>
            perBucket(resources, POLICY, (bucket, policies) => {
                const documents = [bucket.props.policy, ...policies.map((p) => p.props.policy)];
                const denies = documents.flatMap((d) => normalStatements(d)).some(
                    (s) => s.effect === "Deny" && s.condition.Bool?.["aws:SecureTransport"]?.includes("false") && s.actions.some((a) => a === "s3:*" || a === "*"),
                );
                return denies ? undefined : "no policy statement denies requests without TLS; add Deny s3:* with Bool aws:SecureTransport false";
            }),
    }),
    resourceRule({
        name: "s3-policy-no-public-principal",
        family: "ACC",
        severity: "high",
        description: "No bucket policy (an aws.s3.BucketPolicy or a bucket's inline policy) allows everyone (Principal *) without a condition that limits who or where.",
        remediation: "Name the principals, or add a condition (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID) to the Allow statement.",
        refs: { fsbp: "S3.6", checkov: ["CKV_AWS_70"], config: "s3-bucket-policy-grantee-check" },
        types: [POLICY, ...BUCKETS],
        check: ({ props }) => publicAllows(props.policy),
    }),
    resourceRule({
        name: "s3-policy-no-deny-all-lockout",
        family: "DP",
        severity: "high",
        description: "No bucket policy denies everyone every S3 action without an exception (a condition or NotPrincipal): such a policy locks out the account, deployer included, until the root user deletes it.",
        remediation: "Add the condition the deny is meant for (e.g. aws:SecureTransport false, aws:SourceVpce) or exempt the administrators with aws:PrincipalArn.",
        refs: { checkov: ["CKV_AWS_93"] },
        types: [POLICY, ...BUCKETS],
        check: ({ props }) =>
            normalStatements(props.policy)
                .filter(
                    (s) =>
                        s.effect === "Deny" &&
                        isPublicPrincipal(s.principal) &&
                        s.notPrincipal === undefined &&
                        Object.keys(s.condition).length === 0 &&
                        s.actions.some((a) => a === "*" || a.toLowerCase() === "s3:*"),
                )
                .map((s) => `statement ${s.sid} denies everyone every S3 action with no exception`),
    }),
    stackRule({
        name: "s3-ownership-controls-present",
        family: "ACC",
        severity: "medium",
        description: "Every bucket has ownership controls (their setting is judged on the controls themselves by s3-ownership-enforced).",
        remediation: "Add an aws.s3.BucketOwnershipControls with rule.objectOwnership = BucketOwnerEnforced.",
        refs: { fsbp: "S3.12", checkov: ["CKV2_AWS_65"], config: "s3-bucket-acl-prohibited", controlTower: "CT.S3.PR.5" },
        check: (resources) => perBucket(resources, OWNERSHIP, (_b, controls) => (controls.length > 0 ? undefined : "has no ownership controls (ACLs stay enabled)")),
    }),
    resourceRule({
        name: "s3-ownership-enforced",
        family: "ACC",
        severity: "medium",
        description: "Bucket ownership controls set BucketOwnerEnforced, which disables ACLs, judged on the controls themselves wherever their bucket is defined.",
        remediation: "Set rule.objectOwnership to BucketOwnerEnforced.",
        refs: { fsbp: "S3.12", checkov: ["CKV2_AWS_65"], config: "s3-bucket-acl-prohibited" },
        types: [OWNERSHIP],
        check: ({ props }) => {
            const ownership = props.rule?.objectOwnership;
            return ownership === "BucketOwnerEnforced" ? undefined : `object ownership is ${ownership ?? "unset"}, so ACLs stay enabled`;
        },
    }),
    stackRule({
        name: "s3-access-logging",
        family: "LOG",
        severity: "medium",
        description: "Every bucket sends server access logs to a log bucket (an aws.s3.BucketLogging or the bucket's inline logging block); the log bucket itself is exempt.",
        remediation: "Add an aws.s3.BucketLogging pointing at the access-log bucket with a per-bucket prefix.",
        refs: { fsbp: "S3.9", checkov: ["CKV_AWS_18"], config: "s3-bucket-logging-enabled", controlTower: "CT.S3.PR.2" },
        check: (resources) => {
            const index = new StackIndex(resources);
            const targets = logTargets(index);
            return perBucket(resources, LOGGING, (bucket, logging) => {
                if (targets.has(bucket.urn)) return undefined;
                const inline = inlineLogging(bucket.props);
                if (logging.length === 0 && inline.length === 0) return "has no server access logging; add an aws.s3.BucketLogging to the access-log bucket";
                if (logging.length > 0 && inline.length > 0) return "logs both through an inline logging block and an aws.s3.BucketLogging, which overwrite each other on every update; keep the BucketLogging";
                return undefined;
            });
        },
    }),
    stackRule({
        name: "s3-cloudtrail-data-events",
        family: "LOG",
        severity: "medium",
        description: "A CloudTrail trail records object-level data events (reads and writes) for every lake bucket.",
        remediation: "Add an advanced event selector for AWS::S3::Object data events whose resources.ARN startsWith the bucket ARN, or rely on an organization trail and disable this policy.",
        refs: { fsbp: "S3.22†", config: "cloudtrail-s3-dataevents-enabled" },
        params: { zones: { type: "array", items: { type: "string" }, description: "data-zone tag values whose buckets need data events", default: ["raw", "curated", "analytics"] } },
        check: (resources, params) => {
            const index = new StackIndex(resources);
            const selectors = index.ofType(TRAIL).flatMap((t) => asArray(t.props.advancedEventSelectors));
            const covered = (bucket: PolicyResource) =>
                selectors.some((sel: any) => {
                    const fields = asArray(sel.fieldSelectors) as any[];
                    const isData = fields.some((f) => f.field === "eventCategory" && asArray(f.equals).includes("Data"));
                    const arns = fields.filter((f) => f.field === "resources.ARN").flatMap((f) => [...asArray(f.startsWiths), ...asArray(f.equals)]) as string[];
                    return isData && (arns.length === 0 || arns.some((a) => typeof a === "string" && bucket.props.arn && a.startsWith(bucket.props.arn)));
                });
            return index
                .ofType(...BUCKETS)
                .filter((b) => (params.zones as string[]).includes(ownTags(b.props)["data-zone"]))
                .filter((b) => !covered(b))
                .map((b) => ({ message: `bucket ${b.name}: no trail records its object-level data events`, resource: b }));
        },
    }),
    stackRule({
        name: "s3-default-encryption-present",
        family: "ENC",
        severity: "medium",
        description:
            "Every bucket has a default encryption configuration, as an aws.s3.BucketServerSideEncryptionConfiguration or an inline block, and not two that disagree (each shape's settings are judged by s3-encryption-configuration-cmk).",
        remediation: "Add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms, kmsMasterKeyId set to a customer-managed key, and bucketKeyEnabled true.",
        refs: { fsbp: "S3.17†", checkov: ["CKV_AWS_145", "CKV_AWS_19"], config: "s3-default-encryption-kms", controlTower: "CT.S3.PR.10" },
        check: (resources) =>
            perBucket(resources, SSE, (bucket, _configs, index) => {
                const shapes = settingsOf(index, bucket, COMPANION.encryption, inlineEncryption, companionEncryption);
                if (shapes.length === 0) return "has no default encryption configuration (S3 falls back to SSE-S3); add an aws.s3.BucketServerSideEncryptionConfiguration with a customer-managed key";
                const distinct = new Set(shapes.map((x) => `${x.value.algorithm}|${x.value.kmsKeyId}|${x.value.bucketKey}`));
                return distinct.size > 1 ? `its encryption shapes disagree (${shapes.map((x) => `${describe(x.origin)}: ${x.value.algorithm ?? "none"}`).join("; ")}); keep one` : undefined;
            }),
    }),
    resourceRule({
        name: "s3-encryption-configuration-cmk",
        family: "ENC",
        severity: "medium",
        description:
            "A bucket's default encryption — an encryption configuration resource, or the bucket's inline block — uses SSE-KMS with a customer-managed key and S3 bucket keys on, judged on the resource that carries it wherever the bucket is defined.",
        remediation: "Set applyServerSideEncryptionByDefault to { sseAlgorithm: aws:kms, kmsMasterKeyId: <customer-managed key ARN> } and bucketKeyEnabled true.",
        refs: { fsbp: "S3.17†", checkov: ["CKV_AWS_145", "CKV_AWS_19"], config: "s3-default-encryption-kms" },
        types: [...COMPANION.encryption, ...BUCKETS],
        check: ({ type, props }) => {
            const inline = BUCKETS.includes(type);
            const setting = inline ? inlineEncryption(props) : companionEncryption(props);
            if (!setting) return undefined;
            const where = inline ? "inline serverSideEncryptionConfiguration" : "the configuration";
            if (setting.algorithm !== "aws:kms" && setting.algorithm !== "aws:kms:dsse") return `${where} encrypts with ${setting.algorithm ?? "nothing"}, not SSE-KMS; set sseAlgorithm aws:kms with a customer-managed key`;
            if (!setting.kmsKeyId || setting.kmsKeyId.includes("alias/aws/s3")) return `${where} uses the AWS-managed key; set kmsMasterKeyId to a customer-managed key`;
            if (!setting.bucketKey) return `${where} has bucketKeyEnabled off, so every object costs a KMS call; set it true`;
            return undefined;
        },
    }),
    stackRule({
        name: "s3-lifecycle-transition",
        family: "LC",
        severity: "low",
        description:
            "Every bucket has an enabled lifecycle rule (in an aws.s3.BucketLifecycleConfiguration or the bucket's inline lifecycleRules) that moves objects to a colder class, or expires them, within the configured days.",
        remediation: "Add an aws.s3.BucketLifecycleConfiguration with a transition (e.g. INTELLIGENT_TIERING) within maxDaysToFirstTransition days.",
        refs: { fsbp: "S3.13", checkov: ["CKV2_AWS_61"], config: "s3-lifecycle-policy-check", controlTower: "CT.S3.PR.6" },
        params: { maxDaysToFirstTransition: { type: "number", description: "latest day of the first transition or expiry", default: 365 } },
        check: (resources, params) =>
            perBucket(resources, LIFECYCLE, (bucket, lifecycles, index) => {
                const shapes = settingsOf(index, bucket, COMPANION.lifecycle, inlineLifecycle, companionLifecycle);
                if (lifecycles.length > 0 && inlineLifecycle(bucket.props).length > 0) return "has both inline lifecycleRules and an aws.s3.BucketLifecycleConfiguration, which overwrite each other on every update; keep the configuration";
                const enabled = shapes.map((x) => x.value).filter((r) => r.enabled);
                if (enabled.length === 0) return shapes.length === 0 ? "has no lifecycle rule; add one that transitions objects to a colder class" : "has no enabled lifecycle rule; enable one that transitions objects to a colder class";
                const days = enabled.flatMap((r) => [...r.transitions.map((t) => t.days), r.expirationDays]).filter((d): d is number => typeof d === "number");
                if (days.length === 0) return "its enabled lifecycle rules neither transition nor expire current objects (they only abort uploads or expire old versions); add a transition";
                return days.some((d) => d <= params.maxDaysToFirstTransition) ? undefined : `moves nothing to a colder class within ${params.maxDaysToFirstTransition} days; transition sooner`;
            }),
    }),
    stackRule({
        name: "s3-noncurrent-versions-expire",
        family: "LC",
        severity: "medium",
        description: "Every versioned bucket (inline or companion versioning) expires noncurrent versions in an enabled lifecycle rule (inline or companion).",
        remediation: "Add noncurrentVersionExpiration { noncurrentDays } to an enabled lifecycle rule.",
        refs: { fsbp: "S3.10†", config: "s3-version-lifecycle-policy-check", controlTower: "CT.S3.PR.3" },
        check: (resources) =>
            perBucket(resources, VERSIONING, (bucket, _versioning, index) => {
                const versioned = settingsOf(index, bucket, COMPANION.versioning, inlineVersioning, companionVersioning).some((x) => x.value.status === "Enabled");
                if (!versioned) return undefined;
                const rules = settingsOf(index, bucket, COMPANION.lifecycle, inlineLifecycle, companionLifecycle).map((x) => x.value);
                return rules.some((r) => r.enabled && typeof r.noncurrentDays === "number") ? undefined : "is versioned but never expires noncurrent versions; add noncurrentVersionExpiration to an enabled rule";
            }),
    }),
    resourceRule({
        name: "s3-abort-incomplete-uploads",
        family: "LC",
        severity: "low",
        description: "Lifecycle rules (a lifecycle configuration resource, or a bucket's inline lifecycleRules) abort incomplete multipart uploads within the configured days.",
        remediation: "Add abortIncompleteMultipartUpload { daysAfterInitiation } to an enabled rule that applies to the whole bucket.",
        refs: { checkov: ["CKV_AWS_300"] },
        params: { maxDays: { type: "number", description: "latest day to abort an incomplete upload", default: 7 } },
        types: [...COMPANION.lifecycle, ...BUCKETS],
        check: ({ type, props }, params) => {
            const inline = BUCKETS.includes(type);
            const rules = (inline ? inlineLifecycle(props) : companionLifecycle(props)).filter((r) => r.enabled);
            // A bucket without inline rules is judged through its lifecycle configuration, if any.
            if (inline && inlineLifecycle(props).length === 0) return undefined;
            const days = rules.map((r) => r.abortDays).filter((d): d is number => typeof d === "number");
            if (days.length === 0) return "no enabled rule aborts incomplete multipart uploads; add abortIncompleteMultipartUpload";
            return Math.min(...days) > params.maxDays ? `incomplete uploads are aborted only after ${Math.min(...days)} days; abort within ${params.maxDays}` : undefined;
        },
    }),
    stackRule({
        name: "s3-versioning",
        family: "DP",
        severity: "low",
        description: "Every bucket has versioning, as an aws.s3.BucketVersioning or an inline versioning block, and not two that disagree (each shape's status is judged by s3-versioning-enabled).",
        remediation: "Add an aws.s3.BucketVersioning with versioningConfiguration.status = Enabled.",
        refs: { fsbp: "S3.14†", checkov: ["CKV_AWS_21"], config: "s3-bucket-versioning-enabled", controlTower: "CT.S3.PR.11" },
        check: (resources) =>
            perBucket(resources, VERSIONING, (bucket, _versioning, index) => {
                const shapes = settingsOf(index, bucket, COMPANION.versioning, inlineVersioning, companionVersioning);
                if (shapes.length === 0) return "is not versioned; add an aws.s3.BucketVersioning with status Enabled";
                const statuses = new Set(shapes.map((x) => x.value.status));
                return statuses.size > 1 ? `its versioning shapes disagree (${shapes.map((x) => `${describe(x.origin)}: ${x.value.status ?? "unset"}`).join("; ")}); keep one` : undefined;
            }),
    }),
    resourceRule({
        name: "s3-versioning-enabled",
        family: "DP",
        severity: "low",
        description: "A bucket's versioning — a versioning configuration resource, or the bucket's inline versioning block — has status Enabled, judged on the resource that carries it wherever the bucket is defined.",
        remediation: "Set versioningConfiguration.status to Enabled (or the inline versioning.enabled to true).",
        refs: { fsbp: "S3.14†", checkov: ["CKV_AWS_21"], config: "s3-bucket-versioning-enabled" },
        types: [...COMPANION.versioning, ...BUCKETS],
        check: ({ type, props }) => {
            if (BUCKETS.includes(type)) {
                const inline = inlineVersioning(props);
                return inline && inline.status !== "Enabled" ? "inline versioning.enabled is not true, so the bucket is not versioned; set it true (or use aws.s3.BucketVersioning)" : undefined;
            }
            const status = companionVersioning(props).status;
            return status === "Enabled" ? undefined : `versioning status is ${status ?? "unset"}; set versioningConfiguration.status to Enabled`;
        },
    }),
    stackRule({
        name: "s3-object-lock-log-buckets",
        family: "DP",
        severity: "medium",
        description: "Buckets holding audit or access logs (data-zone logs) have Object Lock.",
        remediation: "Create the bucket with objectLockEnabled and add an aws.s3.BucketObjectLockConfiguration with a retention period.",
        refs: { fsbp: "S3.15†", checkov: ["CKV_AWS_143"], config: "s3-bucket-default-lock-enabled", controlTower: "CT.S3.PR.9" },
        params: { zones: { type: "array", items: { type: "string" }, description: "data-zone values that need Object Lock", default: ["logs"] } },
        check: (resources, params) =>
            perBucket(resources, OBJECT_LOCK, (bucket, locks) =>
                (params.zones as string[]).includes(ownTags(bucket.props)["data-zone"]) && locks.length === 0 && !isTrue(bucket.props.objectLockEnabled)
                    ? "holds logs without Object Lock"
                    : undefined,
            ),
    }),
    stackRule({
        name: "s3-cross-region-replication",
        family: "HA",
        severity: "low",
        description: "Lake buckets replicate to a second Region.",
        remediation: "Add an aws.s3.BucketReplicationConfig to a bucket in another Region (with its own key).",
        refs: { fsbp: "S3.7†", checkov: ["CKV_AWS_144"], config: "s3-bucket-replication-enabled" },
        params: { zones: { type: "array", items: { type: "string" }, description: "data-zone values that must replicate", default: ["raw", "curated", "analytics"] } },
        check: (resources, params) =>
            perBucket(resources, REPLICATION, (bucket, replication) =>
                (params.zones as string[]).includes(ownTags(bucket.props)["data-zone"]) && replication.length === 0 ? "is not replicated to another Region" : undefined,
            ),
    }),
    stackRule({
        name: "s3-event-notifications",
        family: "LOG",
        severity: "low",
        description: "Lake buckets publish event notifications (for pipelines and audit).",
        remediation: "Add an aws.s3.BucketNotification (EventBridge, SQS or SNS).",
        refs: { fsbp: "S3.11†", checkov: ["CKV2_AWS_62"], config: "s3-event-notifications-enabled", controlTower: "CT.S3.PR.4" },
        check: (resources) => perBucket(resources, NOTIFICATION, (_b, notifications) => (notifications.length > 0 ? undefined : "publishes no event notifications")),
    }),
    stackRule({
        name: "s3-zone-tiering",
        family: "LC",
        severity: "medium",
        description:
            "Lifecycle tiering matches the bucket's data-zone: raw moves to Intelligent-Tiering or Standard-IA and then to Glacier or Deep Archive; curated and analytics use Intelligent-Tiering; logs are archived and then expire.",
        remediation: "Set the zone's lifecycle in stacks/Pulumi.<env>.yaml (lakehouse:lake) to the pattern of its zone.",
        refs: { isNew: true },
        params: { requireRawArchive: { type: "boolean", description: "raw data must reach Glacier or Deep Archive", default: true } },
        check: (resources, params) =>
            perBucket(resources, LIFECYCLE, (bucket, _lifecycles, index) => {
                const zone = ownTags(bucket.props)["data-zone"];
                if (!zone) return undefined;
                const rules = settingsOf(index, bucket, COMPANION.lifecycle, inlineLifecycle, companionLifecycle)
                    .map((x) => x.value)
                    .filter((r) => r.enabled);
                const classes = rules.flatMap((r) => r.transitions.map((t) => t.storageClass)).filter((c): c is string => typeof c === "string");
                const expires = rules.some((r) => typeof r.expirationDays === "number");
                const archive = classes.some((c) => ["GLACIER", "DEEP_ARCHIVE", "GLACIER_IR"].includes(c));
                switch (zone) {
                    case "raw":
                        if (!["INTELLIGENT_TIERING", "STANDARD_IA"].includes(classes[0])) return "raw zone should first move to INTELLIGENT_TIERING or STANDARD_IA";
                        if (params.requireRawArchive && !classes.some((c) => c === "GLACIER" || c === "DEEP_ARCHIVE")) return "raw zone never reaches GLACIER or DEEP_ARCHIVE";
                        return undefined;
                    case "curated":
                    case "analytics":
                        return classes.includes("INTELLIGENT_TIERING") ? undefined : `${zone} zone should use INTELLIGENT_TIERING`;
                    case "logs":
                        return archive && expires ? undefined : "log bucket should archive and then expire";
                    default:
                        return undefined;
                }
            }),
    }),
    resourceRule({
        name: "s3-no-force-destroy",
        family: "DP",
        severity: "high",
        description: "No bucket is force-destroyable (forceDestroy deletes every object on delete).",
        remediation: "Set forceDestroy false; in the blueprint, leave lakehouse:protection.removeDataOnDestroy off.",
        refs: { isNew: true },
        types: BUCKETS,
        check: ({ props }) => (isTrue(props.forceDestroy) ? "forceDestroy would delete every object with the bucket" : undefined),
        remediate: (props) => (isTrue(props.forceDestroy) ? { ...props, forceDestroy: false } : undefined),
    }),
];
