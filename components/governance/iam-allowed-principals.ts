import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { functionArchive } from "../shared/function-code";
import { createVpcFunction, type VpcFunctionSettings } from "../shared/vpc-function";
import type { RevocationRequest } from "./functions/iam-allowed-principals/revoke";

export { IAM_ALLOWED_PRINCIPALS, type RevocationRequest } from "./functions/iam-allowed-principals/revoke";

const CODE_DIRECTORY = path.join(__dirname, "functions", "iam-allowed-principals");
const CODE_MODULES = ["handler", "revoke"];

/**
 * The function's archive: the handler and its revocation logic, compiled; the AWS SDK's Lake
 * Formation client comes with the Node.js 22 runtime
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html), so nothing is bundled.
 */
export function revocationCode(): pulumi.asset.AssetArchive {
    return functionArchive(CODE_DIRECTORY, CODE_MODULES);
}

/** Arguments of {@link IamAllowedPrincipalsRevocationFunction}. */
export interface IamAllowedPrincipalsRevocationFunctionArgs extends VpcFunctionSettings {
    /**
     * Fixed name of the function's role (`revocationRoleName` in lib/governance.ts): the Lake
     * Formation settings name it as an administrator, and the drift audit expects it there.
     */
    roleName: string;
    /**
     * Names (or name patterns with `*`) of the governed databases: the role may read them and their
     * tables (Lake Formation checks the named resources with the caller's Glue permissions).
     */
    databases: string[];
    /** The catalog's key (the lake key): Glue decrypts the catalog's metadata with the caller's use of it. */
    catalogKeyArn: pulumi.Input<string>;
    /**
     * Function timeout (seconds): one RevokePermissions call per database, table wildcard and table.
     * @default 120
     */
    timeoutSeconds?: number;
}

/**
 * The function that revokes IAM_ALLOWED_PRINCIPALS on the governed databases and tables: a VPC
 * Lambda function (TypeScript in `functions/iam-allowed-principals/`) that `aws.lambda.Invocation`
 * invokes at deploy time with the catalog, its databases and tables ({@link revocationInvocationInput}).
 * Lake Formation lets only a data lake administrator (or a holder of the grant option) revoke,
 * and every caller needs `lakeformation:RevokePermissions` and Glue read access to the named
 * resources (https://docs.aws.amazon.com/lake-formation/latest/dg/required-permissions-for-grant.html):
 * the role has the IAM part, and the platform names it in the Lake Formation settings, so it is an
 * administrator whoever deploys.
 *
 * Why a function rather than a dynamic provider: a dynamic provider's code is serialized with its
 * closure into the state, which fails once the package is installed from its tarball (the
 * serializer resolves the module through the package's `exports`), and it would have to repeat
 * the stack's `aws:` credential settings by hand. The function runs as its own role in the stack's
 * account, and the invocation goes through the stack's AWS provider.
 */
export class IamAllowedPrincipalsRevocationFunction extends pulumi.ComponentResource {
    /** The function's name, for the invocation. */
    public readonly functionName: pulumi.Output<string>;
    /** The role's ARN, once its policy exists: the administrator the Lake Formation settings name. */
    public readonly roleArn: pulumi.Output<string>;
    /** Everything an invocation must wait for: the function, its role and policy, log group and way out to the endpoints. */
    public readonly ready: pulumi.Resource[];

    constructor(name: string, args: IamAllowedPrincipalsRevocationFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:governance:IamAllowedPrincipalsRevocationFunction", name, {}, opts);
        const { account } = args;
        const glue = pulumi.interpolate`arn:${account.partition}:glue:${account.region}:${account.accountId}`;
        const runner = createVpcFunction(
            name,
            {
                functionName: args.functionName,
                description: "Revokes IAM_ALLOWED_PRINCIPALS on the governed databases, their table wildcards and tables at deploy time",
                roleDescription: "Revokes IAM_ALLOWED_PRINCIPALS on the governed catalog as a Lake Formation administrator",
                securityGroupDescription: `${args.functionName}: HTTPS to the interface endpoints inside the VPC only`,
                roleName: args.roleName,
                code: revocationCode(),
                environment: { CATALOG_ID: account.accountId },
                statements: [
                    // Lake Formation's grant and revoke actions have no resource-level permissions
                    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslakeformation.html).
                    { Sid: "RevokePermissions", Effect: "Allow", Action: ["lakeformation:RevokePermissions"], Resource: "*" },
                    {
                        Sid: "ReadGovernedCatalog",
                        Effect: "Allow",
                        Action: ["glue:GetDatabase", "glue:GetTable"],
                        Resource: [
                            pulumi.interpolate`${glue}:catalog`,
                            ...args.databases.flatMap((database) => [pulumi.interpolate`${glue}:database/${database}`, pulumi.interpolate`${glue}:table/${database}/*`]),
                        ],
                    },
                    // Any client of an encrypted catalog decrypts its metadata through Glue
                    // (https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html).
                    {
                        Sid: "DecryptCatalogMetadata",
                        Effect: "Allow",
                        Action: ["kms:Decrypt"],
                        Resource: args.catalogKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `glue.${account.region}.amazonaws.com` } },
                    },
                ],
                network: args.network,
                operationsKeyArn: args.operationsKeyArn,
                logRetentionDays: args.logRetentionDays,
                timeoutSeconds: args.timeoutSeconds ?? 120,
                reservedConcurrency: args.reservedConcurrency,
                account,
                protection: args.protection,
            },
            { parent: this },
        );
        this.functionName = runner.fn.name;
        this.roleArn = runner.role.arn;
        this.ready = [runner.fn, runner.role.role, runner.role.policy, runner.logGroup, runner.endpointsEgress];
        this.registerOutputs({ functionName: this.functionName, roleArn: this.roleArn });
    }
}

/**
 * The invocation's input: the catalog, its databases and its tables (`<database>.<table>`), as
 * JSON. An `aws.lambda.Invocation` runs again whenever its input changes, so a new database or
 * table is revoked on by the next deploy.
 */
export function revocationInvocationInput(catalogId: pulumi.Input<string>, databases: pulumi.Input<string>[], tables: pulumi.Input<string>[]): pulumi.Output<string> {
    return pulumi
        .all([catalogId, pulumi.all(databases), pulumi.all(tables)])
        .apply(([catalog, names, qualified]) => JSON.stringify({ catalogId: catalog, databases: names, tables: qualified } satisfies RevocationRequest));
}

