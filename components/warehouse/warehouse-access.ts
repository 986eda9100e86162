import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccountContext } from "../shared/naming";

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
export function createWarehouseLakeRole(name: string, access: LakeAccess, account: AccountContext, opts: pulumi.CustomResourceOptions, roleName?: string): aws.iam.Role {
    const catalogArn = pulumi.interpolate`arn:${account.partition}:glue:${account.region}:${account.accountId}`;
    const role = new aws.iam.Role(
        name,
        {
            ...(roleName ? { name: roleName } : {}),
            description: "Redshift COPY, UNLOAD and Spectrum on the lake",
            assumeRolePolicy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"] },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": account.accountId } },
                    },
                ],
            }),
        },
        opts,
    );
    new aws.iam.RolePolicy(
        name,
        {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
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
            }),
        },
        opts,
    );
    return role;
}

/** Security group admitting Redshift's port from inside the VPC only. */
export function createWarehouseSecurityGroup(
    name: string,
    args: { vpcId: pulumi.Input<string>; vpcCidr: string },
    opts: pulumi.CustomResourceOptions,
): aws.ec2.SecurityGroup {
    const sg = new aws.ec2.SecurityGroup(name, { vpcId: args.vpcId, description: "Redshift: SQL from inside the VPC only", tags: { Name: name } }, opts);
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-sql`,
        { securityGroupId: sg.id, description: "Redshift SQL from the VPC", ipProtocol: "tcp", fromPort: REDSHIFT_PORT, toPort: REDSHIFT_PORT, cidrIpv4: args.vpcCidr },
        opts,
    );
    return sg;
}
