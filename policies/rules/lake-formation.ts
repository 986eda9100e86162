import type { PolicyResource } from "@pulumi/policy";
import { asArray } from "../lib/props";
import { type Finding, resourceRule, stackRule } from "../lib/rule";
import { StackIndex } from "../lib/stack";

const SETTINGS = "aws:lakeformation/dataLakeSettings:DataLakeSettings";
const REGISTRATION = "aws:lakeformation/resource:Resource";
const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
const BUCKET = "aws:s3/bucket:Bucket";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";

function administrators(index: StackIndex): Set<string> {
    return new Set(index.ofType(SETTINGS).flatMap((s) => asArray(s.props.admins) as string[]));
}

export const lakeFormationPolicies = [
    resourceRule({
        name: "lf-administrators-named",
        family: "GOV",
        severity: "high",
        description: "Lake Formation data lake settings name at least one administrator.",
        remediation: "Set lakehouse:governance.administrators to the platform's admin role ARNs.",
        refs: { isNew: true },
        types: [SETTINGS],
        check: ({ props }) => (asArray(props.admins).length > 0 ? undefined : "no Lake Formation administrator"),
    }),
    resourceRule({
        name: "lf-no-iam-allowed-principals-default",
        family: "GOV",
        severity: "high",
        description: "New databases and tables get no default permissions for IAM_ALLOWED_PRINCIPALS, so IAM alone never bypasses Lake Formation.",
        remediation: "Set createDatabaseDefaultPermissions and createTableDefaultPermissions to empty lists.",
        refs: { isNew: true },
        types: [SETTINGS],
        check: ({ props }) => {
            const problems: string[] = [];
            for (const key of ["createDatabaseDefaultPermissions", "createTableDefaultPermissions"]) {
                const value = props[key];
                if (value === undefined) problems.push(`${key} is not set (AWS keeps IAM_ALLOWED_PRINCIPALS)`);
                else if (asArray(value).length > 0) problems.push(`${key} grants default permissions`);
            }
            return problems;
        },
    }),
    stackRule({
        name: "lf-lake-locations-registered",
        family: "GOV",
        severity: "high",
        description: "Every lake zone bucket is registered with Lake Formation, with a dedicated role when the bucket uses a customer-managed key.",
        remediation: "Register the bucket (aws.lakeformation.Resource) with roleArn set to a role allowed to use the bucket's key.",
        refs: { isNew: true },
        params: { zones: { type: "array", items: { type: "string" }, description: "data-zone values that must be registered", default: ["raw", "curated", "analytics"] } },
        check: (resources, params) => {
            const index = new StackIndex(resources);
            const findings: Finding[] = [];
            for (const bucket of index.ofType(BUCKET)) {
                if (!(params.zones as string[]).includes(bucket.props.tags?.["data-zone"])) continue;
                const registrations = index.attached(bucket, REGISTRATION, "arn", [bucket.props.arn]);
                if (registrations.length === 0) {
                    findings.push({ message: `bucket ${bucket.name}: not registered with Lake Formation`, resource: bucket });
                    continue;
                }
                const cmk = index
                    .attached(bucket, SSE, "bucket", [bucket.props.bucket, bucket.props.id])
                    .some((c) => (asArray(c.props.rules) as any[]).some((r) => r.applyServerSideEncryptionByDefault?.kmsMasterKeyId));
                for (const r of registrations) {
                    if (cmk && (r.props.useServiceLinkedRole === true || !r.props.roleArn)) {
                        findings.push({ message: `registration ${r.name}: uses the service-linked role, which cannot use the bucket's customer-managed key`, resource: r });
                    }
                }
            }
            return findings;
        },
    }),
    stackRule({
        name: "lf-tag-based-grants",
        family: "GOV",
        severity: "medium",
        description: "Lake Formation grants on databases and tables use LF-Tag expressions, not per-resource grants (administrators excepted), and never go to IAM users.",
        remediation: "Grant through lfTagPolicy expressions to roles; declare personas in lakehouse:governance.personas.",
        refs: { isNew: true },
        check: (resources) => {
            const index = new StackIndex(resources);
            const admins = administrators(index);
            return index.ofType(PERMISSIONS).flatMap((p: PolicyResource): Finding[] => {
                const principal = String(p.props.principal ?? "");
                const findings: Finding[] = [];
                if (/:user\//.test(principal)) findings.push({ message: `grant ${p.name}: goes to an IAM user (${principal}); grant roles`, resource: p });
                const direct = p.props.database || p.props.table || p.props.tableWithColumns;
                if (direct && !admins.has(principal)) findings.push({ message: `grant ${p.name}: names a database or table directly; use an LF-Tag expression`, resource: p });
                return findings;
            });
        },
    }),
    stackRule({
        name: "lf-no-grantable-all",
        family: "GOV",
        severity: "high",
        description: "No one but a Lake Formation administrator receives ALL (or SUPER) with the grant option.",
        remediation: "Leave permissionsWithGrantOptions empty for personas and services.",
        refs: { isNew: true },
        check: (resources) => {
            const index = new StackIndex(resources);
            const admins = administrators(index);
            return index
                .ofType(PERMISSIONS)
                .filter((p) => !admins.has(String(p.props.principal)) && (asArray(p.props.permissionsWithGrantOptions) as string[]).some((x) => x === "ALL" || x === "SUPER"))
                .map((p) => ({ message: `grant ${p.name}: ${p.props.principal} may grant ALL onwards`, resource: p }));
        },
    }),
];
