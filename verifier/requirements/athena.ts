import { parseArn, parseS3Url, s3Arn } from "../arn";
import type { AccessCheck, IamEvaluator } from "../iam";
import { lakeFormationOf } from "../lake-formation";
import type { PlanModel } from "../model";
import type { PlannedResource } from "../plan";
import { isUnknown } from "../unknown";
import { catalogArns, catalogChecks, writeLocation } from "./common";
import type { HopSpec, Requirement } from "./types";

/** The ARN of an Athena workgroup: its `arn` output, else built from its name. */
export function workgroupArn(model: PlanModel, workgroup: PlannedResource): string | undefined {
    const arn = model.arnOf(workgroup);
    if (arn) return arn;
    const name = model.nameOf(workgroup);
    return name ? `arn:${model.partition}:athena:${model.region}:${model.accountId}:workgroup/${name}` : undefined;
}

/**
 * Roles that could use a workgroup: the plan's roles, and the roles outside the plan (persona
 * roles) that the plan attaches policies to by name, or that Lake Formation grants read.
 */
function candidateRoles(model: PlanModel): string[] {
    const outside = new Set<string>();
    const roleArn = (name: string) => `arn:${model.partition}:iam::${model.accountId}:role/${name}`;
    const known = new Map(lakeFormationOf(model).readers().filter((p) => parseArn(p)?.service === "iam").map((p) => [p.split("/").pop()!, p]));
    for (const a of model.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")) if (typeof a.inputs.role === "string" && !isUnknown(a.inputs.role)) outside.add(a.inputs.role.startsWith("arn:") ? a.inputs.role : (known.get(a.inputs.role) ?? roleArn(a.inputs.role)));
    for (const a of model.ofType("aws:iam/policyAttachment:PolicyAttachment")) for (const r of Array.isArray(a.inputs.roles) ? a.inputs.roles : []) if (typeof r === "string" && !isUnknown(r)) outside.add(known.get(r) ?? roleArn(r));
    for (const p of known.values()) outside.add(p);
    const inPlan = model.ofType("aws:iam/role:Role").map((r) => model.arnOf(r)).filter((a): a is string => typeof a === "string" && !isUnknown(a));
    return [...new Set([...inPlan, ...outside])];
}

/** Whether an S3 location lies under a location registered with Lake Formation (which then vends access to it). */
function registered(model: PlanModel, location: string): boolean {
    const url = parseS3Url(location);
    if (!url) return false;
    const arn = s3Arn(model.partition, url.bucket, url.key);
    return model.ofType("aws:lakeformation/resource:Resource").some((r) => typeof r.inputs.arn === "string" && (arn === r.inputs.arn || arn.startsWith(`${String(r.inputs.arn).replace(/\/$/, "")}/`)));
}

/** The key the Data Catalog is encrypted with, if the plan sets one. */
function catalogKey(model: PlanModel): string | undefined {
    const settings = model.ofType("aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings")[0];
    const atRest = settings?.inputs.dataCatalogEncryptionSettings?.encryptionAtRest;
    return atRest?.catalogEncryptionMode === "SSE-KMS" ? model.keyArn(atRest.sseAwsKmsKeyId) : undefined;
}

async function workgroupHops(workgroup: PlannedResource, model: PlanModel, iam: IamEvaluator): Promise<HopSpec[]> {
    const arn = workgroupArn(model, workgroup);
    const name = model.nameOf(workgroup) ?? workgroup.name;
    if (!arn || isUnknown(arn)) return [];
    const users: string[] = [];
    for (const role of candidateRoles(model)) if ((await iam.check(role, { action: "athena:StartQueryExecution", resource: arn })).allowed) users.push(role);
    const result = workgroup.inputs.configuration?.resultConfiguration;
    const encryption = result?.encryptionConfiguration;
    const resultKey = encryption?.encryptionOption === "SSE_KMS" || encryption?.encryptionOption === "CSE_KMS" ? model.keyArn(encryption.kmsKeyArn) : undefined;
    const lf = lakeFormationOf(model);
    const key = catalogKey(model);
    const spec = (principal: string, hop: string, checks: AccessCheck[], fix: string, unresolved?: string): HopSpec => ({
        requirement: "athena.persona-workgroup",
        domain: "personas",
        hop: `${principal.split("/").pop()} ${hop}`,
        principal,
        checks,
        fix,
        urn: workgroup.urn,
        ...(unresolved ? { unresolved } : {}),
    });
    const hops: HopSpec[] = [];
    for (const user of users) {
        // The query hop comes last: it holds the permission that makes the role a user of the
        // workgroup at all (without it, the persona check athena.persona-path reports the persona).
        const queries = spec(
            user,
            `runs queries in workgroup ${name}`,
            ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:StopQueryExecution", "athena:GetWorkGroup"].map((action) => ({ action, resource: arn })),
            `allow the role athena:StartQueryExecution, GetQueryExecution, GetQueryResults, StopQueryExecution and GetWorkGroup on ${arn}`,
        );
        const output = typeof result?.outputLocation === "string" ? result.outputLocation : undefined;
        const bucket = parseS3Url(output)?.bucket;
        hops.push(
            spec(
                user,
                `writes and reads workgroup ${name}'s results`,
                output && bucket ? [{ action: "s3:GetBucketLocation", resource: s3Arn(model.partition, bucket) }, ...writeLocation(model, output.endsWith("/") ? output : `${output}/`, resultKey)] : [],
                "allow the role to list, put and get objects under the workgroup's results location and to use its key (bucket and key policies too)",
                output && bucket ? undefined : `workgroup ${name} sets no results location (configuration.resultConfiguration.outputLocation)`,
            ),
        );
        // Lake Formation vends the data of registered locations; the catalog (and its key) is read with the caller's own permissions.
        // https://docs.aws.amazon.com/athena/latest/ug/lf-athena-user-permissions.html
        const tables = [...new Map(lf.columnReads(user).map((r) => [`${r.database}.${r.table}`, lf.table(r.database, r.table)!])).values()];
        if (tables.length === 0) {
            hops.push(queries);
            continue;
        }
        const checks: AccessCheck[] = [{ action: "lakeformation:GetDataAccess", resource: "*" }];
        for (const t of tables) {
            const [catalog, database] = catalogArns(model, t.database, t.name);
            checks.push(...[catalog, database].map((resource) => ({ action: "glue:GetDatabase", resource })), ...catalogChecks(model, t.database, t.name, ["glue:GetTable", "glue:GetPartitions"]));
            if (t.location && !registered(model, t.location)) {
                const url = parseS3Url(t.location);
                if (url) checks.push({ action: "s3:ListBucket", resource: s3Arn(model.partition, url.bucket), context: { "s3:prefix": url.key } }, { action: "s3:GetObject", resource: s3Arn(model.partition, url.bucket, `${url.key}part-00000.parquet`) });
            }
        }
        if (key) checks.push({ action: "kms:Decrypt", resource: key, context: { "kms:ViaService": `glue.${model.region}.amazonaws.com` } });
        hops.push(
            spec(
                user,
                `reads the catalog and data of ${tables.length === 1 ? `${tables[0].database}.${tables[0].name}` : `${tables.length} tables`} through Athena`,
                checks,
                "allow the role glue:GetDatabase, GetTable, GetPartitions on the tables Lake Formation grants it, lakeformation:GetDataAccess, and kms:Decrypt on the catalog's key through Glue (S3 reads for tables outside registered locations)",
            ),
            queries,
        );
    }
    return hops;
}

export const athenaRequirements: Requirement[] = [
    {
        id: "athena.persona-workgroup",
        resourceType: "aws:athena/workgroup:Workgroup",
        summary:
            "Every role whose policies let it start queries in a workgroup (personas outside the stack through the policies the plan attaches to them) also reads the query state and results, writes and reads the results location with its key, and reads the catalog (with the catalog's key) and data of every table Lake Formation lets it read (lakeformation:GetDataAccess; S3 itself outside registered locations).",
        doc: "https://docs.aws.amazon.com/athena/latest/ug/lf-athena-user-permissions.html",
        hops: workgroupHops,
    },
];
