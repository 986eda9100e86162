import type { PolicyResource } from "@pulumi/policy";
import { BUCKET_TYPES, COMPANION, companionsOf } from "../lib/bucket-settings";
import { effective } from "../lib/provider-defaults";
import { asArray, at, isFalse, isTrue } from "../lib/props";
import { type Finding, resourceRule, stackRule } from "../lib/rule";
import { StackIndex } from "../lib/stack";

const WORKGROUP = "aws:athena/workgroup:Workgroup";

/**
 * The provider refuses a per-query cut-off below 10 MiB ("Must be at least `10485760`",
 * @pulumi/aws WorkgroupConfiguration.bytesScannedCutoffPerQuery).
 */
const MIN_CUTOFF_BYTES = 10_485_760;
const KMS_OPTIONS = ["SSE_KMS", "CSE_KMS"];

/** A workgroup's results location, split into bucket and key prefix; undefined when it has none or another scheme. */
function outputLocation(props: Record<string, any>): { bucket: string; prefix: string } | undefined {
    const location = at(props, "configuration.resultConfiguration.outputLocation");
    if (typeof location !== "string") return undefined;
    const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location.trim());
    return match ? { bucket: match[1], prefix: match[2] } : undefined;
}

/** Whether a workgroup keeps results in Athena-owned storage instead of an S3 location. */
function managedResults(props: Record<string, any>): boolean {
    return isTrue(at(props, "configuration.managedQueryResultsConfiguration.enabled"));
}

/** One lifecycle rule with what limits the objects it applies to. */
interface ExpiryRule {
    enabled: boolean;
    expirationDays?: number;
    /** Key prefix the rule is limited to ("" for every key). */
    prefix: string;
    /** The rule's filter also names tags or object sizes, so it may leave some objects out. */
    narrowed: boolean;
}

const days = (value: unknown): number | undefined => (typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)) ? Number(value) : undefined);

/** A bucket's lifecycle rules, inline or from its BucketLifecycleConfiguration, with their filters. */
function expiryRules(index: StackIndex, bucket: PolicyResource): ExpiryRule[] {
    const inline = asArray(bucket.props.lifecycleRules).map(
        (r: any): ExpiryRule => ({ enabled: isTrue(r?.enabled), expirationDays: days(r?.expiration?.days), prefix: String(r?.prefix ?? ""), narrowed: Object.keys(r?.tags ?? {}).length > 0 }),
    );
    const companion = companionsOf(index, bucket, COMPANION.lifecycle).flatMap((c) =>
        asArray(c.props.rules).map((r: any): ExpiryRule => {
            const filter = r?.filter ?? {};
            const and = filter.and ?? {};
            return {
                enabled: r?.status === "Enabled",
                expirationDays: days(r?.expiration?.days),
                prefix: String(filter.prefix ?? and.prefix ?? r?.prefix ?? ""),
                narrowed: !!filter.tag || Object.keys(and.tags ?? {}).length > 0 || filter.objectSizeGreaterThan !== undefined || and.objectSizeGreaterThan !== undefined,
            };
        }),
    );
    return [...inline, ...companion];
}

export const athenaPolicies = [
    resourceRule({
        name: "athena-workgroup-enforce-configuration",
        family: "DP",
        severity: "high",
        description: "Athena workgroups enforce their configuration, so no client can change where results go, how they are encrypted or the bytes-scanned cut-off.",
        remediation: "Set configuration.enforceWorkgroupConfiguration true (the provider's default).",
        refs: { checkov: ["CKV_AWS_82"] },
        types: [WORKGROUP],
        check: ({ props }) =>
            isFalse(effective(WORKGROUP, props, "configuration.enforceWorkgroupConfiguration"))
                ? "enforceWorkgroupConfiguration is false, so each query's client settings override the workgroup's results location, encryption and cut-off"
                : undefined,
    }),
    resourceRule({
        name: "athena-workgroup-results-cmk",
        family: "ENC",
        severity: "medium",
        description:
            "Athena workgroups encrypt query results with a KMS key (SSE_KMS or CSE_KMS with a key that is not AWS-managed), in S3 or in Athena-owned storage; Security Hub checked this as Athena.1 until it retired the control in April 2024.",
        remediation: "Set configuration.resultConfiguration.encryptionConfiguration { encryptionOption: SSE_KMS, kmsKeyArn } to a customer-managed key.",
        refs: { checkov: ["CKV_AWS_159"], config: "athena-workgroup-encrypted-at-rest", controlTower: "CT.ATHENA.PR.2" },
        types: [WORKGROUP],
        check: ({ props }) => {
            if (managedResults(props)) {
                const key = at(props, "configuration.managedQueryResultsConfiguration.encryptionConfiguration.kmsKey");
                return key ? undefined : "results kept in Athena-owned storage are not encrypted with a customer-managed key; set managedQueryResultsConfiguration.encryptionConfiguration.kmsKey";
            }
            const option = at(props, "configuration.resultConfiguration.encryptionConfiguration.encryptionOption");
            const key = at(props, "configuration.resultConfiguration.encryptionConfiguration.kmsKeyArn");
            if (option === undefined || option === null) return "query results are not encrypted with a KMS key (no encryptionConfiguration)";
            if (!KMS_OPTIONS.includes(String(option))) return `query results are encrypted with ${String(option)}, not SSE_KMS or CSE_KMS`;
            if (!key) return `${String(option)} names no kmsKeyArn`;
            if (/alias\/aws\//.test(String(key))) return `results are encrypted with the AWS-managed key ${String(key)}, whose policy the account cannot restrict`;
            return undefined;
        },
    }),
    resourceRule({
        name: "athena-workgroup-bytes-cutoff",
        family: "COST",
        severity: "medium",
        description: "Athena workgroups cancel a query past a bytes-scanned cut-off (at least the 10 MiB the provider allows, at most the configured bytes), so one unbounded query cannot scan the whole lake.",
        remediation: "Set configuration.bytesScannedCutoffPerQuery within the allowed range (lakehouse:query.bytesScannedCutoffPerQuery in the blueprint).",
        refs: { isNew: true },
        params: { maxBytes: { type: "number", description: "largest cut-off allowed, in bytes", default: 1_099_511_627_776 } },
        types: [WORKGROUP],
        check: ({ props }, params) => {
            const cutoff = at(props, "configuration.bytesScannedCutoffPerQuery");
            if (cutoff === undefined || cutoff === null) return "no bytesScannedCutoffPerQuery: a query may scan without limit";
            const bytes = Number(cutoff);
            if (!Number.isFinite(bytes) || bytes < MIN_CUTOFF_BYTES) return `bytesScannedCutoffPerQuery is ${String(cutoff)}, below the 10485760 bytes (10 MiB) the provider accepts`;
            if (bytes > params.maxBytes) return `bytesScannedCutoffPerQuery is ${bytes} bytes, above the ${params.maxBytes} allowed; lower it to ${params.maxBytes} or less`;
            return undefined;
        },
    }),
    resourceRule({
        name: "athena-workgroup-metrics",
        family: "LOG",
        severity: "low",
        description: "Athena workgroups publish query metrics to CloudWatch (bytes scanned, run time), which the cost and usage alarms read.",
        remediation: "Set configuration.publishCloudwatchMetricsEnabled true (the provider's default).",
        refs: { config: "athena-workgroup-logging-enabled" },
        types: [WORKGROUP],
        check: ({ props }) => (isFalse(effective(WORKGROUP, props, "configuration.publishCloudwatchMetricsEnabled")) ? "publishCloudwatchMetricsEnabled is false" : undefined),
    }),
    resourceRule({
        name: "athena-workgroup-engine-version",
        family: "PATCH",
        severity: "low",
        description: "Athena SQL workgroups run on a supported engine: AUTO (Athena upgrades it) or at least the configured engine version.",
        remediation: 'Set configuration.engineVersion.selectedEngineVersion to a supported "Athena engine version N" (3 is current), or AUTO.',
        refs: { isNew: true },
        params: { minVersion: { type: "number", description: "oldest Athena SQL engine version allowed", default: 3 } },
        types: [WORKGROUP],
        check: ({ props }, params) => {
            const selected = String(effective(WORKGROUP, props, "configuration.engineVersion.selectedEngineVersion"));
            if (selected.toUpperCase() === "AUTO" || /^PySpark/i.test(selected)) return undefined;
            const version = /^Athena engine version (\d+)$/i.exec(selected.trim());
            if (!version) return `selectedEngineVersion "${selected}" names no Athena SQL engine version`;
            return Number(version[1]) < params.minVersion ? `runs on Athena engine version ${version[1]}, older than version ${params.minVersion}` : undefined;
        },
    }),
    stackRule({
        name: "athena-results-expire",
        family: "LC",
        severity: "medium",
        description:
            "Where a workgroup writes results to a bucket of the same stack, an enabled lifecycle rule of that bucket expires the results (all keys, or a prefix of the results location) within the configured days: results are copies of lake data.",
        remediation: "Add an enabled lifecycle rule with expiration.days covering the results location (lakehouse:query.resultExpirationDays in the blueprint).",
        refs: { isNew: true },
        params: { maxDays: { type: "number", description: "longest time results may be kept, in days", default: 90 } },
        check: (resources, params) => {
            const index = new StackIndex(resources);
            const buckets = index.ofType(...BUCKET_TYPES);
            const findings: Finding[] = [];
            for (const workgroup of index.ofType(WORKGROUP)) {
                if (managedResults(workgroup.props)) continue;
                const location = outputLocation(workgroup.props);
                if (!location) continue;
                // A results bucket outside the stack is judged where it is declared.
                const bucket = buckets.find((b) => b.props.bucket === location.bucket);
                if (!bucket) continue;
                const rules = expiryRules(index, bucket).filter((r) => r.enabled && !r.narrowed && r.expirationDays !== undefined && location.prefix.startsWith(r.prefix));
                const soonest = Math.min(...rules.map((r) => r.expirationDays as number));
                if (rules.length === 0) {
                    findings.push({ message: `workgroup ${workgroup.name}: its results in bucket ${bucket.name} (s3://${location.bucket}/${location.prefix}) never expire`, resource: workgroup });
                } else if (soonest > params.maxDays) {
                    findings.push({ message: `workgroup ${workgroup.name}: its results in bucket ${bucket.name} are kept ${soonest} days, more than ${params.maxDays}; expire them within ${params.maxDays} days`, resource: workgroup });
                }
            }
            return findings;
        },
    }),
];
