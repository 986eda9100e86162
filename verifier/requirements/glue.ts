import { parseS3Url } from "../arn";
import type { AccessCheck } from "../iam";
import type { PlanModel } from "../model";
import type { PlannedResource } from "../plan";
import { assumeRole, catalogChecks, kmsViaS3, logGroupArn, readLocation, writeLocation } from "./common";
import type { HopSpec, Requirement } from "./types";

const JOB = "aws:glue/job:Job";
const CRAWLER = "aws:glue/crawler:Crawler";
const ROLE_DOC = "https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role.html";
const ENCRYPTION_DOC = "https://docs.aws.amazon.com/glue/latest/dg/set-up-encryption.html";

/**
 * Arguments by which a job names the tables it reads and writes. They are the job's own inputs,
 * read as Glue passes them to the script; a job without them has its script-level I/O unverified.
 */
export const JOB_TABLE_ARGUMENTS = {
    sourceDatabase: "--source_database",
    sourceTable: "--source_table",
    targetDatabase: "--target_database",
    targetTable: "--target_table",
    targetPath: "--target_path",
    /** Where rows failing the contract are written (appended, never deleted). */
    quarantinePath: "--quarantine_path",
    /**
     * Where a job writing an Iceberg table through the catalog also writes each run's change set
     * (what it merged), for a downstream COPY.
     */
    changesPath: "--changes_path",
} as const;

/** The domain a job serves: the table it reads, else its name. */
export function jobDomain(job: PlannedResource): string {
    return String(job.inputs.defaultArguments?.[JOB_TABLE_ARGUMENTS.sourceTable] ?? job.inputs.name ?? job.name);
}

/** The domain a crawler serves: the first table it crawls, else its name. */
export function crawlerDomain(crawler: PlannedResource): string {
    return String(crawler.inputs.catalogTargets?.[0]?.tables?.[0] ?? crawler.inputs.name ?? crawler.name);
}

/** The keys of a security configuration, by what they encrypt. */
export function securityConfigurationKeys(model: PlanModel, name: unknown): { s3?: string; cloudWatch?: string; bookmarks?: string } {
    const config = model.findByRef("aws:glue/securityConfiguration:SecurityConfiguration", name)?.inputs.encryptionConfiguration;
    if (!config) return {};
    return {
        s3: config.s3Encryption?.s3EncryptionMode === "SSE-KMS" ? model.keyArn(config.s3Encryption.kmsKeyArn) : undefined,
        cloudWatch: config.cloudwatchEncryption?.cloudwatchEncryptionMode === "SSE-KMS" ? model.keyArn(config.cloudwatchEncryption.kmsKeyArn) : undefined,
        bookmarks: config.jobBookmarksEncryption?.jobBookmarksEncryptionMode === "CSE-KMS" ? model.keyArn(config.jobBookmarksEncryption.kmsKeyArn) : undefined,
    };
}

/** What a job or crawler running under a security configuration must be able to do with its keys. */
function securityConfigurationChecks(model: PlanModel, resource: PlannedResource, role: string): AccessCheck[] {
    const keys = securityConfigurationKeys(model, resource.inputs.securityConfiguration);
    const kind = resource.type === JOB ? "jobs" : "crawlers";
    const checks: AccessCheck[] = [];
    if (keys.cloudWatch) {
        checks.push({ action: "logs:AssociateKmsKey", resource: logGroupArn(model, `/aws-glue/${kind}-${resource.inputs.securityConfiguration}-role/${role.split("/").pop()}/output`) });
    }
    if (keys.bookmarks && resource.type === JOB) {
        checks.push({ action: "kms:Decrypt", resource: keys.bookmarks }, { action: "kms:Encrypt", resource: keys.bookmarks });
    }
    return checks;
}

function spec(resource: PlannedResource, domain: string, requirement: string, hop: string, principal: string, checks: AccessCheck[], fix: string): HopSpec {
    return { requirement, domain, hop, principal, checks, fix, urn: resource.urn };
}

/** Objects a job needs at run time that live in S3: its script, libraries and temporary directory. */
export function jobArtefacts(job: PlannedResource): { kind: string; url: string }[] {
    const args = job.inputs.defaultArguments ?? {};
    const artefacts = [{ kind: "script", url: String(job.inputs.command?.scriptLocation ?? "") }];
    for (const [arg, kind] of [
        ["--extra-py-files", "library"],
        ["--extra-jars", "library"],
        ["--extra-files", "library"],
        ["--additional-python-modules", "library"],
    ] as const) {
        for (const url of String(args[arg] ?? "").split(",")) if (url.startsWith("s3://")) artefacts.push({ kind, url: url.trim() });
    }
    if (typeof args["--TempDir"] === "string") artefacts.push({ kind: "temporary directory", url: args["--TempDir"] });
    if (typeof args["--spark-event-logs-path"] === "string") artefacts.push({ kind: "Spark event logs", url: args["--spark-event-logs-path"] });
    return artefacts.filter((a) => parseS3Url(a.url));
}

export const glueRequirements: Requirement[] = [
    {
        id: "glue.job-artefacts",
        resourceType: JOB,
        summary: "The job role reads its script and libraries and writes its temporary directory (S3 and the objects' key), and Glue may assume it.",
        doc: ROLE_DOC,
        hops: (job, model) => {
            const role = String(job.inputs.roleArn ?? "");
            if (!role) return [];
            const domain = jobDomain(job);
            const checks = jobArtefacts(job).flatMap((artefact) => {
                const location = parseS3Url(artefact.url)!;
                if (artefact.kind === "temporary directory" || artefact.kind === "Spark event logs") return writeLocation(model, artefact.url, undefined, { delete: true });
                const object = model.ofType("aws:s3/bucketObjectv2:BucketObjectv2").find((o) => o.inputs.bucket === location.bucket && o.inputs.key === location.key);
                return [
                    { action: "s3:GetObject", resource: `arn:${model.partition}:s3:::${location.bucket}/${location.key}` },
                    ...kmsViaS3(model, location.bucket, location.key, ["kms:Decrypt"], object ? model.keyArn(object.inputs.kmsKeyId) : undefined),
                ];
            });
            return [
                spec(job, domain, "glue.job-artefacts", "the Glue job starts", "glue.amazonaws.com", [assumeRole(model, role)], "let glue.amazonaws.com assume the job role"),
                spec(job, domain, "glue.job-artefacts", "the Glue job loads its script and temporary directory", role, checks, "allow the job role to read its script and libraries and to write its --TempDir"),
            ];
        },
    },
    {
        id: "glue.job-source",
        resourceType: JOB,
        summary: "The job role reads its source table (glue:GetTable, GetPartitions), the table's location and its key, through Lake Formation (lakeformation:GetDataAccess).",
        doc: ROLE_DOC,
        hops: (job, model) => {
            const args = job.inputs.defaultArguments ?? {};
            const table = model.table(args[JOB_TABLE_ARGUMENTS.sourceDatabase], args[JOB_TABLE_ARGUMENTS.sourceTable]);
            if (!table || !job.inputs.roleArn) return [];
            return [
                spec(
                    job,
                    jobDomain(job),
                    "glue.job-source",
                    "the Glue job reads its source table",
                    job.inputs.roleArn,
                    [
                        ...catalogChecks(model, table.database, table.name, ["glue:GetTable", "glue:GetPartitions"]),
                        ...(table.location ? readLocation(model, table.location) : []),
                        { action: "lakeformation:GetDataAccess", resource: "*" },
                    ],
                    `allow the job role to read ${table.database}.${table.name} and ${table.location}`,
                ),
            ];
        },
    },
    {
        id: "glue.job-target",
        resourceType: JOB,
        summary: "The job role writes its target path (and its quarantine path, if it names one) with the security configuration's S3 key and updates the target table's partitions.",
        doc: ENCRYPTION_DOC,
        hops: (job, model) => {
            const args = job.inputs.defaultArguments ?? {};
            const table = model.table(args[JOB_TABLE_ARGUMENTS.targetDatabase], args[JOB_TABLE_ARGUMENTS.targetTable]);
            const path = args[JOB_TABLE_ARGUMENTS.targetPath] ?? table?.location;
            const quarantine = args[JOB_TABLE_ARGUMENTS.quarantinePath];
            if (!job.inputs.roleArn || (!table && !path)) return [];
            const keys = securityConfigurationKeys(model, job.inputs.securityConfiguration);
            return [
                spec(
                    job,
                    jobDomain(job),
                    "glue.job-target",
                    "the Glue job writes its target table",
                    job.inputs.roleArn,
                    [
                        ...(table ? catalogChecks(model, table.database, table.name, ["glue:GetTable", "glue:UpdateTable", "glue:BatchCreatePartition"]) : []),
                        ...(typeof path === "string" ? writeLocation(model, path, keys.s3, { delete: true }) : []),
                        ...(typeof quarantine === "string" ? writeLocation(model, quarantine, keys.s3) : []),
                    ],
                    `allow the job role to write ${path}${typeof quarantine === "string" ? ` and its quarantine ${quarantine}` : ""} (S3 and key ${keys.s3 ?? "of the bucket"}) and update its table's partitions`,
                ),
            ];
        },
    },
    {
        id: "glue.security-configuration",
        resourceType: JOB,
        summary: "Under a security configuration the job role associates its log groups with the CloudWatch key and encrypts and decrypts job bookmarks with the bookmark key.",
        doc: ENCRYPTION_DOC,
        hops: (job, model) => {
            const role = String(job.inputs.roleArn ?? "");
            const checks = role ? securityConfigurationChecks(model, job, role) : [];
            if (checks.length === 0) return [];
            return [spec(job, jobDomain(job), "glue.security-configuration", "the Glue job encrypts its logs and bookmarks", role, checks, "allow the job role logs:AssociateKmsKey on its Glue log groups and kms:Encrypt/Decrypt on the bookmark key")];
        },
    },
    {
        id: "glue.crawler-targets",
        resourceType: CRAWLER,
        summary: "The crawler role reads the tables and locations it crawls and adds partitions (glue:GetTable, UpdateTable, BatchCreatePartition; S3 read; the key), and Glue may assume it.",
        doc: "https://docs.aws.amazon.com/glue/latest/dg/crawler-prereqs.html",
        hops: (crawler, model) => {
            const role = String(crawler.inputs.role ?? "");
            if (!role.startsWith("arn:")) return [];
            const tables = (crawler.inputs.catalogTargets ?? []).flatMap((t: any) => (t.tables ?? []).map((name: string) => model.table(t.databaseName, name)).filter(Boolean));
            const checks: AccessCheck[] = [
                ...tables.flatMap((t: any) => [
                    ...catalogChecks(model, t.database, t.name, ["glue:GetTable", "glue:UpdateTable", "glue:BatchCreatePartition", "glue:GetPartitions"]),
                    ...(t.location ? readLocation(model, t.location) : []),
                ]),
                ...(crawler.inputs.s3Targets ?? []).flatMap((t: any) => readLocation(model, String(t.path))),
                ...(tables.length > 0 ? [{ action: "lakeformation:GetDataAccess", resource: "*" }] : []),
                ...securityConfigurationChecks(model, crawler, role),
            ];
            return [
                spec(crawler, crawlerDomain(crawler), "glue.crawler-targets", "the crawler starts", "glue.amazonaws.com", [assumeRole(model, role)], "let glue.amazonaws.com assume the crawler role"),
                spec(crawler, crawlerDomain(crawler), "glue.crawler-targets", "the crawler adds partitions of its tables", role, checks, "allow the crawler role to read its targets' tables and locations and to add partitions"),
            ];
        },
    },
    {
        id: "glue.connection",
        resourceType: JOB,
        summary: "A job in a VPC connection creates and removes its network interfaces (ec2:CreateNetworkInterface… on *, which AWS cannot scope).",
        doc: "https://docs.aws.amazon.com/glue/latest/dg/glue-connections.html",
        hops: (job) => {
            if (!job.inputs.roleArn || !(job.inputs.connections ?? []).length) return [];
            const actions = ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcEndpoints", "ec2:DescribeRouteTables"];
            return [spec(job, jobDomain(job), "glue.connection", "the Glue job joins its VPC", job.inputs.roleArn, actions.map((action) => ({ action, resource: "*" })), "allow the job role the ENI actions of a Glue VPC connection")];
        },
    },
];
