import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { databaseName } from "../../lib/governance";
import { type AccountContext, glueCatalogArn } from "../shared/naming";
import { type PolicyStatement, policyDocument } from "../shared/policy-document";
import { type DataProtection, statefulOptions } from "../shared/protection";

/**
 * The engine every workgroup runs on, chosen rather than left to AUTO so an engine change is a
 * reviewed change (https://docs.aws.amazon.com/athena/latest/ug/engine-versions-changing.html).
 */
export const ATHENA_ENGINE_VERSION = "Athena engine version 3";

/**
 * The smallest per-query cut-off: the provider refuses less than 10 MiB ("Must be at least
 * `10485760`", @pulumi/aws WorkgroupConfiguration.bytesScannedCutoffPerQuery).
 */
export const MIN_BYTES_SCANNED_CUTOFF = 10 * 1024 * 1024;

/** The per-query cut-off unless the environment sets one: 100 GiB, about US$0.49 a query at US$5 per TB. */
export const DEFAULT_BYTES_SCANNED_CUTOFF = 100 * 1024 ** 3;

/**
 * Athena actions on a workgroup a persona needs to run queries and read their results in the
 * console, JDBC/ODBC drivers and SDKs, and to keep saved queries and prepared statements there
 * (https://docs.aws.amazon.com/athena/latest/ug/example-policies-workgroup.html).
 */
export const WORKGROUP_ACTIONS = [
    "athena:GetWorkGroup",
    "athena:StartQueryExecution",
    "athena:StopQueryExecution",
    "athena:GetQueryExecution",
    "athena:BatchGetQueryExecution",
    "athena:ListQueryExecutions",
    "athena:GetQueryResults",
    "athena:GetQueryResultsStream",
    "athena:GetQueryRuntimeStatistics",
    "athena:CreateNamedQuery",
    "athena:GetNamedQuery",
    "athena:BatchGetNamedQuery",
    "athena:ListNamedQueries",
    "athena:DeleteNamedQuery",
    "athena:CreatePreparedStatement",
    "athena:GetPreparedStatement",
    "athena:ListPreparedStatements",
    "athena:UpdatePreparedStatement",
    "athena:DeletePreparedStatement",
];

/** Glue Data Catalog reads Athena makes on the caller's behalf to plan a query. */
export const CATALOG_READ_ACTIONS = ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"];

/** One persona's Athena access. */
export interface AthenaPersona {
    /**
     * Largest number of bytes one query in the persona's workgroup may scan before Athena cancels
     * it; at least 10 MiB.
     * @default the component's bytesScannedCutoffPerQuery
     */
    bytesScannedCutoffPerQuery?: number;
    /**
     * Names of IAM roles of this account the stack attaches the persona's managed policy to. The
     * persona's roles live outside the stack; leave this empty and attach the exported policy ARN
     * where the roles are managed, unless this stack is allowed to attach policies to them. A role
     * of another account cannot take this account's managed policy: that account creates its own
     * from the exported policyDocument (and needs bucket, key and Lake Formation cross-account grants).
     * @default [] (nothing attached: the policy ARN is an output)
     */
    attachToRoleNames?: string[];
}

/** Arguments of {@link AthenaWorkgroups}. */
export interface AthenaWorkgroupsArgs {
    /** Prefix of workgroup and policy names, e.g. `lakehouse-prod`. */
    namePrefix: string;
    /** Account, partition and Region the workgroup, catalog and bucket-owner values are built from. */
    account: AccountContext;
    /** Personas by name (letters, digits and underscores); each gets a workgroup and a managed policy. */
    personas: Record<string, AthenaPersona>;
    /** The results bucket (name and ARN): each workgroup writes under `<persona>/`. */
    resultsBucket: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
    /** ARN of the customer-managed key results are encrypted with (SSE_KMS), the results bucket's key. */
    resultsKeyArn: pulumi.Input<string>;
    /**
     * ARN of the key the Glue Data Catalog's metadata is encrypted with, which every catalog
     * client decrypts through Glue.
     * @default undefined (the catalog is not encrypted with a customer-managed key)
     */
    catalogKeyArn?: pulumi.Input<string>;
    /**
     * Glue database names (or `*` patterns) whose metadata the personas may read; Lake Formation
     * decides which tables, columns and rows each persona sees.
     * @default the platform's databases, `<prefix>_*_*` (lib/governance.ts databaseName)
     */
    catalogDatabases?: string[];
    /**
     * Per-query cut-off in bytes for personas that set none; at least 10 MiB.
     * @default 107374182400 (100 GiB)
     */
    bytesScannedCutoffPerQuery?: number;
    /** Whether workgroups (query history and saved queries) are protected, retained, or force-destroyable. */
    protection: DataProtection;
}

/** What a persona's query path is made of. */
export interface AthenaPersonaPath {
    /** Workgroup name. */
    workgroupName: pulumi.Output<string>;
    /** Workgroup ARN. */
    workgroupArn: pulumi.Output<string>;
    /** `s3://<results bucket>/<persona>/`. */
    outputLocation: pulumi.Output<string>;
    /** ARN of the managed policy to attach to the persona's roles. */
    policyArn: pulumi.Output<string>;
    /** The policy's JSON document, for a team that manages the persona's roles with its own tooling. */
    policyDocument: pulumi.Output<string>;
}

/**
 * One Athena workgroup per persona, each enforcing its configuration (clients cannot change the
 * results location, encryption or cut-off: https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html),
 * on engine version 3, publishing CloudWatch metrics, cancelling a query past its bytes-scanned
 * cut-off and writing SSE-KMS-encrypted results under the persona's own prefix of the results
 * bucket; plus, per persona, a customer-managed IAM policy that lets its principals use that
 * workgroup only.
 */
export class AthenaWorkgroups extends pulumi.ComponentResource {
    /** Each persona's workgroup, results location and policy. */
    public readonly personas: Record<string, AthenaPersonaPath>;

    constructor(name: string, args: AthenaWorkgroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:query:AthenaWorkgroups", name, {}, opts);
        const { account } = args;
        const databases = args.catalogDatabases ?? [databaseName(args.namePrefix, "*", "*")];

        const personas: Record<string, AthenaPersonaPath> = {};
        for (const [persona, spec] of Object.entries(args.personas)) {
            const outputLocation = pulumi.interpolate`s3://${args.resultsBucket.name}/${persona}/`;
            const workgroup = new aws.athena.Workgroup(
                `${name}-${persona}`,
                {
                    name: `${args.namePrefix}-${persona}`,
                    description: `Athena queries of the ${persona} persona`,
                    state: "ENABLED",
                    configuration: {
                        enforceWorkgroupConfiguration: true,
                        publishCloudwatchMetricsEnabled: true,
                        bytesScannedCutoffPerQuery: spec.bytesScannedCutoffPerQuery ?? args.bytesScannedCutoffPerQuery ?? DEFAULT_BYTES_SCANNED_CUTOFF,
                        requesterPaysEnabled: false,
                        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
                        resultConfiguration: {
                            outputLocation,
                            // Athena refuses to write results to a bucket another account owns
                            // (https://docs.aws.amazon.com/athena/latest/ug/querying.html).
                            expectedBucketOwner: account.accountId,
                            encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: args.resultsKeyArn },
                        },
                    },
                    // Deleting a workgroup deletes its saved queries and history: only where the environment removes its data.
                    forceDestroy: args.protection.removeDataOnDestroy,
                },
                { parent: this, ...statefulOptions(args.protection) },
            );

            const document = policyDocument(personaStatements(account, persona, workgroup.arn, args, databases));
            const policy = new aws.iam.Policy(
                `${name}-${persona}`,
                {
                    name: `${args.namePrefix}-athena-${persona}`,
                    description: `Athena through the ${workgroupNameOf(args.namePrefix, persona)} workgroup only; Lake Formation governs the data`,
                    policy: document,
                },
                { parent: this },
            );
            for (const roleName of spec.attachToRoleNames ?? []) {
                new aws.iam.RolePolicyAttachment(`${name}-${persona}-${roleName}`, { role: roleName, policyArn: policy.arn }, { parent: this });
            }
            personas[persona] = { workgroupName: workgroup.name, workgroupArn: workgroup.arn, outputLocation, policyArn: policy.arn, policyDocument: document };
        }
        this.personas = personas;

        this.registerOutputs({
            workgroupNames: Object.fromEntries(Object.entries(personas).map(([p, path]) => [p, path.workgroupName])),
            policyArns: Object.fromEntries(Object.entries(personas).map(([p, path]) => [p, path.policyArn])),
        });
    }
}

/** Name of a persona's workgroup, `<prefix>-<persona>`. */
export function workgroupNameOf(namePrefix: string, persona: string): string {
    return `${namePrefix}-${persona}`;
}

/**
 * The statements of a persona's policy, as AWS documents them for Athena on data Lake Formation
 * governs (https://docs.aws.amazon.com/athena/latest/ug/lf-athena-user-permissions.html): Athena
 * on the persona's workgroup, S3 on its results prefix, the results key through S3, the catalog's
 * metadata, and lakeformation:GetDataAccess, through which Lake Formation vends credentials for
 * exactly the tables and columns it grants the persona.
 */
function personaStatements(account: AccountContext, persona: string, workgroupArn: pulumi.Output<string>, args: AthenaWorkgroupsArgs, databases: string[]): PolicyStatement[] {
    const catalogArn = glueCatalogArn(account);
    const region = account.region;
    const results = pulumi.interpolate`${args.resultsBucket.arn}/${persona}/*`;
    const statements: PolicyStatement[] = [
        { Sid: "UseOwnWorkgroupOnly", Effect: "Allow", Action: WORKGROUP_ACTIONS, Resource: workgroupArn },
        // List actions have no resource: they name workgroups and engines, they run nothing
        // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonathena.html).
        { Sid: "ListWorkgroupsAndEngines", Effect: "Allow", Action: ["athena:ListWorkGroups", "athena:ListEngineVersions", "athena:ListDataCatalogs"], Resource: "*" },
        {
            Sid: "BrowseGlueDataCatalog",
            Effect: "Allow",
            Action: ["athena:GetDataCatalog", "athena:ListDatabases", "athena:GetDatabase", "athena:ListTableMetadata", "athena:GetTableMetadata"],
            Resource: pulumi.interpolate`arn:${account.partition}:athena:${region}:${account.accountId}:datacatalog/AwsDataCatalog`,
        },
        {
            Sid: "ReadCatalogMetadata",
            Effect: "Allow",
            Action: CATALOG_READ_ACTIONS,
            Resource: [
                pulumi.interpolate`${catalogArn}:catalog`,
                ...databases.map((db) => pulumi.interpolate`${catalogArn}:database/${db}`),
                ...databases.map((db) => pulumi.interpolate`${catalogArn}:table/${db}/*`),
            ],
        },
        // Lake Formation's data access has no resource-level permissions; what it vends is limited by the persona's grants.
        { Sid: "LakeFormationDataAccess", Effect: "Allow", Action: ["lakeformation:GetDataAccess"], Resource: "*" },
        // Athena writes and reads results with the caller's credentials
        // (https://docs.aws.amazon.com/athena/latest/ug/querying.html). Listing the bucket shows key
        // names (query ids), never contents: objects are readable under the persona's prefix only.
        { Sid: "ResultsBucket", Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], Resource: args.resultsBucket.arn },
        { Sid: "OwnResults", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], Resource: results },
        {
            Sid: "ResultsKeyThroughS3",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: args.resultsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
        },
    ];
    if (args.catalogKeyArn !== undefined) {
        // Athena's callers read (and, creating views or tables, write) encrypted catalog metadata
        // through Glue with these three actions on the catalog key
        // (https://docs.aws.amazon.com/athena/latest/ug/access-encrypted-data-glue-data-catalog.html).
        statements.push({
            Sid: "CatalogKeyThroughGlue",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt"],
            Resource: args.catalogKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `glue.${region}.amazonaws.com` } },
        });
    }
    return statements;
}
