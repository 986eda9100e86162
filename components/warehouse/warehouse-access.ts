import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createEncryptedLogGroup } from "../shared/log-group";
import { type AccountContext, glueCatalogArn } from "../shared/naming";
import type { DataProtection } from "../shared/protection";
import { allowHttpsToAwsServices, createVpcOnlySecurityGroup } from "../shared/security-group";
import { createServiceRole, type ServiceRoleResources } from "../shared/service-role";

/** Redshift's port. */
export const REDSHIFT_PORT = 5439;

/** What the warehouse may read and write in the lake. */
export interface LakeAccess {
    /** Buckets COPY and Spectrum read (curated, analytics). */
    readBucketArns: pulumi.Input<string>[];
    /** Bucket UNLOAD writes to (analytics), under `unload/`. */
    unloadBucketArn: pulumi.Input<string>;
    /** Lake key. */
    lakeKeyArn: pulumi.Input<string>;
    /** Catalog databases Spectrum may read. */
    catalogDatabases: pulumi.Input<string>[];
}

/**
 * The role Redshift uses for COPY, UNLOAD and Spectrum, limited to the lake's curated and
 * analytics buckets, the lake key and the named catalog databases. Both Redshift flavours
 * (provisioned and Serverless) assume it.
 */
export function createWarehouseLakeRole(name: string, access: LakeAccess, account: AccountContext, opts: pulumi.CustomResourceOptions, roleName?: string): ServiceRoleResources {
    const catalogArn = glueCatalogArn(account);
    return createServiceRole(
        name,
        {
            roleName,
            description: "Redshift COPY, UNLOAD and Spectrum on the lake",
            service: ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"],
            account,
            statements: [
                {
                    Sid: "ReadLake",
                    Effect: "Allow",
                    Action: ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"],
                    Resource: [...access.readBucketArns, ...access.readBucketArns.map((arn) => pulumi.interpolate`${arn}/*`)],
                },
                { Sid: "UnloadToAnalytics", Effect: "Allow", Action: ["s3:PutObject", "s3:AbortMultipartUpload"], Resource: pulumi.interpolate`${access.unloadBucketArn}/unload/*` },
                { Sid: "UseLakeKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: access.lakeKeyArn },
                {
                    Sid: "SpectrumCatalog",
                    Effect: "Allow",
                    Action: ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"],
                    Resource: [
                        pulumi.interpolate`${catalogArn}:catalog`,
                        ...access.catalogDatabases.map((db) => pulumi.interpolate`${catalogArn}:database/${db}`),
                        ...access.catalogDatabases.map((db) => pulumi.interpolate`${catalogArn}:table/${db}/*`),
                    ],
                },
                { Sid: "LakeFormationDataAccess", Effect: "Allow", Action: ["lakeformation:GetDataAccess"], Resource: "*" },
            ],
        },
        opts,
    );
}

/**
 * Security group of a warehouse: SQL in from inside the VPC only; out, HTTPS to the VPC's
 * interface endpoints and to S3 through its gateway endpoint, which enhanced VPC routing sends
 * COPY, UNLOAD and Spectrum traffic through (no other egress).
 */
export function createWarehouseSecurityGroup(
    name: string,
    args: { vpcId: pulumi.Input<string>; vpcCidr: string; s3PrefixListId: pulumi.Input<string> },
    opts: pulumi.CustomResourceOptions,
): aws.ec2.SecurityGroup {
    const sg = createVpcOnlySecurityGroup(
        name,
        { ...args, port: REDSHIFT_PORT, description: "Redshift: SQL from inside the VPC only", ruleDescription: "Redshift SQL from the VPC", ruleSuffix: "sql" },
        opts,
    );
    allowHttpsToAwsServices(name, sg.id, args, opts);
    return sg;
}

/** Log types Redshift exports to CloudWatch. */
export const REDSHIFT_LOG_EXPORTS = ["connectionlog", "useractivitylog", "userlog"];

/** What both Redshift flavours share: network, lake access and audit log groups. */
export interface WarehouseBaseArgs {
    /** Cluster identifier or namespace name, the last segment before the log type. */
    warehouseName: string;
    /** VPC of the SQL security group. */
    vpcId: pulumi.Input<string>;
    /** Only this CIDR may reach the warehouse. */
    vpcCidr: string;
    /** Prefix list of the S3 gateway endpoint (egress for COPY, UNLOAD and Spectrum). */
    s3PrefixListId: pulumi.Input<string>;
    /** Audit log groups: `<logGroupPrefix>/<warehouseName>/<log type>`, under this key and retention. */
    logging: { kmsKeyArn: pulumi.Input<string>; retentionDays: number; logGroupPrefix: string };
    /** What COPY, UNLOAD and Spectrum may touch in the lake. */
    lakeAccess: LakeAccess;
    /**
     * Fixed name of the lake role (Lake Formation grants and the drift audit refer to it).
     * @default auto-named
     */
    lakeRoleName?: string;
    /** Account, partition and Region the role's ARNs are written for. */
    account: AccountContext;
    /** Protection of the audit log groups. */
    protection: DataProtection;
}

/**
 * The lake role, the SQL security group and the audit log groups of a warehouse. The log groups are
 * created before Redshift writes to them, so they carry our key and retention, not the defaults.
 */
export function createWarehouseBase(name: string, args: WarehouseBaseArgs, opts: pulumi.CustomResourceOptions) {
    const lakeRole = createWarehouseLakeRole(`${name}-lake`, args.lakeAccess, args.account, opts, args.lakeRoleName);
    const securityGroup = createWarehouseSecurityGroup(`${name}-sql`, { vpcId: args.vpcId, vpcCidr: args.vpcCidr, s3PrefixListId: args.s3PrefixListId }, opts);
    const logGroups = REDSHIFT_LOG_EXPORTS.map((logType) =>
        createEncryptedLogGroup(
            `${name}-${logType}`,
            {
                logGroupName: `${args.logging.logGroupPrefix}/${args.warehouseName}/${logType}`,
                kmsKeyArn: args.logging.kmsKeyArn,
                retentionDays: args.logging.retentionDays,
                protection: args.protection,
            },
            opts,
        ),
    );
    return { lakeRole, securityGroup, logGroups };
}

/** Arguments both Redshift flavours take. */
export interface WarehouseCommonArgs {
    /** Non-default admin user name. */
    adminUsername: string;
    /** Non-default database name. */
    databaseName: string;
    /** Subnets (the isolated tier): at least 2 AZs provisioned, 3 for Serverless. */
    subnetIds: pulumi.Input<string>[];
    /** VPC of the SQL security group. */
    vpcId: pulumi.Input<string>;
    /** Only this CIDR may reach the warehouse. */
    vpcCidr: string;
    /** Prefix list of the S3 gateway endpoint (egress for COPY, UNLOAD and Spectrum). */
    s3PrefixListId: pulumi.Input<string>;
    /** Warehouse key: the data and the admin secret. */
    kmsKeyArn: pulumi.Input<string>;
    /** Audit log group settings (operations key). */
    logging: { kmsKeyArn: pulumi.Input<string>; retentionDays: number; logGroupPrefix: string };
    /** What COPY, UNLOAD and Spectrum may touch in the lake. */
    lakeAccess: LakeAccess;
    /**
     * Fixed name of the COPY/UNLOAD/Spectrum role (Lake Formation grants and the drift audit refer to it).
     * @default auto-named
     */
    lakeRoleName?: string;
    /** Account, partition and Region the ARNs are written for. */
    account: AccountContext;
    /** Protection of the warehouse's data and logs (protected and retained as the environment says). */
    protection: DataProtection;
}
