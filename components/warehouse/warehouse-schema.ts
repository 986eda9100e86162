import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { GovernanceInput } from "../../lib/governance";
import { personaRole, type SpectrumIdentity, warehousePersonaStatements } from "../../lib/warehouse-personas-sql";
import { LOADER, schemaStatements, WAREHOUSE_SCHEMA, type WarehouseDomain } from "../../lib/warehouse-sql";
import { functionArchive } from "../shared/function-code";
import { createVpcFunction, type VpcFunctionSettings } from "../shared/vpc-function";
import type { SchemaRequest } from "./functions/warehouse-schema/statements";

const CODE_DIRECTORY = path.join(__dirname, "functions", "warehouse-schema");
const CODE_MODULES = ["handler", "statements"];

/**
 * The function's archive: the handler and its statement runner, compiled; the AWS SDK's Redshift
 * Data client comes with the Node.js 22 runtime (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html),
 * so nothing is bundled.
 */
export function warehouseSchemaCode(): pulumi.asset.AssetArchive {
    return functionArchive(CODE_DIRECTORY, CODE_MODULES);
}

/** The warehouse the schema is created in: how the Data API addresses it, and its ARN for the function's role. */
export type SchemaTarget =
    | { kind: "cluster"; clusterIdentifier: pulumi.Input<string>; clusterArn: pulumi.Input<string> }
    | { kind: "serverless"; workgroupName: pulumi.Input<string>; workgroupArn: pulumi.Input<string> };

/** The personas the warehouse serves, and how Spectrum reads the curated databases for them. */
export interface WarehousePersonasArgs {
    /**
     * The governance input the Lake Formation model is computed from (lib/governance.ts): the
     * personas, their role ARNs and tag-expression grants, the classifications, the PII filters and
     * the domains' PII columns. Each persona's warehouse access follows from it
     * (lib/warehouse-personas-sql.ts `personaAccess`).
     */
    governance: GovernanceInput;
    /**
     * The IAM role Spectrum's external schemas (one per curated database) read the catalog and the
     * lake with: `SESSION` for each signed-in persona's own IAM identity, so Lake Formation shows it
     * only its columns; or a role ARN (the warehouse lake role), which Lake Formation must then grant
     * SELECT on every column of the curated tables, and whose schemas only the personas that read every
     * column may use.
     * @default no external schemas
     */
    spectrumIamRole?: pulumi.Input<string>;
}

/** Arguments of {@link WarehouseSchema}. */
export interface WarehouseSchemaArgs extends VpcFunctionSettings {
    /** Domains whose target tables are created, with their columns, keys and layout. */
    domains: WarehouseDomain[];
    /** The provisioned cluster or the Serverless workgroup. */
    target: SchemaTarget;
    /** Database the schema is created in. */
    database: string;
    /**
     * ARN of the Secrets Manager secret Redshift manages for the admin user: the statements run as
     * that user, the Data API reading the secret with the function's permission (its value never
     * passes through Pulumi nor the function).
     */
    adminSecretArn: pulumi.Input<string>;
    /** Customer-managed key the admin secret is encrypted with (the warehouse key). */
    adminSecretKeyArn: pulumi.Input<string>;
    /**
     * What the warehouse is ready after (the cluster or the namespace and workgroup, or the component
     * holding them): the statements run only once all of it exists.
     * @default [] (only what the target and secret values come from)
     */
    warehouseReady?: pulumi.Resource[];
    /**
     * Database roles for the governance personas (the IAM roles they sign in with mapped to them), the
     * SELECT grants and PII masking their Lake Formation grants call for, and Spectrum's external
     * schemas.
     * @default none: the loader is the only identity the schema creates
     */
    personas?: WarehousePersonasArgs;
    /**
     * Function timeout (seconds): the statements run one after the other, each waited for.
     * @default 300
     */
    timeoutSeconds?: number;
}

/**
 * The warehouse schema as code: the `lake` schema, one table per domain (column types from the
 * domain's columns, its declared distribution and sort keys), the loader identity the pipeline
 * signs in as (a user without a password on a cluster, a database role on Serverless) and its
 * grants, and, with {@link WarehouseSchemaArgs.personas}, a database role per governance persona
 * held by the `IAMR:` users its IAM roles sign in as, the SELECT grants and PII masking its Lake
 * Formation grants call for and Spectrum's external schemas (lib/warehouse-personas-sql.ts), run in
 * order through the Redshift Data API by a VPC Lambda function (TypeScript in
 * `functions/warehouse-schema/`) that `aws.lambda.Invocation` invokes at deploy time with the
 * statements and the warehouse. Every statement is written so that running it again changes
 * nothing. They run as the admin user, a superuser: creating roles and users, masking policies
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_MASKING_POLICY.html: superusers or
 * sys:secadmin) and external schemas needs one, and the function's IAM permissions stay the same.
 *
 * Why an invocation rather than `aws.redshiftdata.Statement` resources: a statement's read asks the
 * Data API, which forgets statements after about a day, so a refresh dropped them (or read them
 * back empty) and the next deploy ran them all again
 * (https://github.com/hashicorp/terraform-provider-aws/issues/37301); and every argument of a
 * Statement forces a replacement. An invocation's read is a no-op and it runs again only when its
 * input changes: the statements, or the warehouse they run in (a replaced warehouse has a new admin
 * secret). Why at deploy time rather than a migration step in the pipeline: the schema then exists
 * before the first scheduled load, a change to a domain shows in `pulumi preview`, and the
 * pipeline's role needs no DDL rights. `CREATE TABLE IF NOT EXISTS` does not alter an existing
 * table, so adding a column to a domain that already has data needs an `ALTER TABLE` of its own
 * (see the README).
 */
export class WarehouseSchema extends pulumi.ComponentResource {
    /** Schema the domain tables are in. */
    public readonly schemaName: string;
    /** The database identity the load runs as. */
    public readonly loader: string;
    /** Persona → its database role (none without {@link WarehouseSchemaArgs.personas}). */
    public readonly personaRoles: Record<string, string>;

    constructor(name: string, args: WarehouseSchemaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:warehouse:WarehouseSchema", name, {}, opts);
        const child = { parent: this };
        const { target, account } = args;
        const warehouseName = target.kind === "cluster" ? target.clusterIdentifier : target.workgroupName;
        const warehouseArn = target.kind === "cluster" ? target.clusterArn : target.workgroupArn;

        const runner = createVpcFunction(
            name,
            {
                functionName: args.functionName,
                description: args.personas
                    ? "Runs the warehouse schema's statements (schema, tables, loader and persona identities, grants, masking, Spectrum schemas) through the Redshift Data API at deploy time"
                    : "Runs the warehouse schema's statements (schema, tables, loader identity, grants) through the Redshift Data API at deploy time",
                roleDescription: `Runs the schema statements of ${args.database} in the warehouse`,
                securityGroupDescription: `${args.functionName}: HTTPS to the interface endpoints inside the VPC only`,
                code: warehouseSchemaCode(),
                environment: { WAREHOUSE_KIND: target.kind, WAREHOUSE_NAME: warehouseName, DATABASE: args.database, ADMIN_SECRET_ARN: args.adminSecretArn },
                statements: [
                    // ExecuteStatement is authorised on the cluster or workgroup it runs in
                    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonredshiftdataapi.html).
                    { Sid: "RunStatements", Effect: "Allow", Action: ["redshift-data:ExecuteStatement"], Resource: warehouseArn },
                    // DescribeStatement has no resource-level permissions; it only reads the caller's own statements.
                    { Sid: "PollStatements", Effect: "Allow", Action: ["redshift-data:DescribeStatement"], Resource: "*" },
                    // The Data API reads the secret with the caller's permissions
                    // (https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-access.html); Secrets
                    // Manager decrypts it with the caller's use of the key, in the secret's encryption
                    // context (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html).
                    { Sid: "ReadAdminSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: args.adminSecretArn },
                    {
                        Sid: "DecryptAdminSecret",
                        Effect: "Allow",
                        Action: ["kms:Decrypt"],
                        Resource: args.adminSecretKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${account.region}.amazonaws.com`, "kms:EncryptionContext:SecretARN": args.adminSecretArn } },
                    },
                ],
                network: args.network,
                operationsKeyArn: args.operationsKeyArn,
                logRetentionDays: args.logRetentionDays,
                timeoutSeconds: args.timeoutSeconds ?? 300,
                reservedConcurrency: args.reservedConcurrency,
                account,
                protection: args.protection,
            },
            child,
        );

        const personas = args.personas;
        const input = pulumi.all([warehouseName, args.adminSecretArn, personas?.spectrumIamRole]).apply(([name, secretArn, spectrumIamRole]) => {
            const spectrum: SpectrumIdentity | undefined = spectrumIamRole === undefined ? undefined : spectrumIamRole === "SESSION" ? { kind: "session" } : { kind: "role", arn: spectrumIamRole };
            // After the schema's own statements: the tables the grants and masks name exist by then.
            const statements = [
                ...schemaStatements(args.domains, target.kind, args.database),
                ...(personas ? warehousePersonaStatements({ governance: personas.governance, domains: args.domains, spectrum }) : []),
            ];
            return JSON.stringify({ target: { kind: target.kind, name, database: args.database, secretArn }, statements } satisfies SchemaRequest);
        });
        // The function must exist whole (its role's policy, its log group and its way out to the
        // Data API's endpoint) before it is invoked, and the warehouse must be there to run in.
        new aws.lambda.Invocation(
            name,
            { functionName: runner.fn.name, input },
            { ...child, dependsOn: [runner.fn, runner.role.role, runner.role.policy, runner.logGroup, runner.endpointsEgress, ...(args.warehouseReady ?? [])] },
        );

        this.schemaName = WAREHOUSE_SCHEMA;
        this.loader = LOADER;
        this.personaRoles = Object.fromEntries(Object.keys(personas?.governance.personas ?? {}).map((p) => [p, personaRole(p)]));
        this.registerOutputs({ schemaName: this.schemaName, loader: this.loader, personaRoles: this.personaRoles });
    }
}
