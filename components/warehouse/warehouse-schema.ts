import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOADER, schemaStatements, WAREHOUSE_SCHEMA, type WarehouseDomain } from "../../lib/warehouse-sql";

/** The warehouse the schema is created in, addressed as the Data API addresses it. */
export type SchemaTarget = { kind: "cluster"; clusterIdentifier: pulumi.Input<string> } | { kind: "serverless"; workgroupName: pulumi.Input<string> };

/** Arguments of {@link WarehouseSchema}. */
export interface WarehouseSchemaArgs {
    /** Domains whose target tables are created, with their columns, keys and layout. */
    domains: WarehouseDomain[];
    /** The provisioned cluster or the Serverless workgroup. */
    target: SchemaTarget;
    /** Database the schema is created in. */
    database: string;
    /**
     * ARN of the Secrets Manager secret Redshift manages for the admin user; the statements run as
     * that user, with the deploying identity's permission to read the secret (its value never
     * passes through Pulumi).
     */
    adminSecretArn: pulumi.Input<string>;
}

/**
 * The warehouse schema as code: the `lake` schema, one table per domain (column types from the
 * domain's columns, its declared distribution and sort keys), the loader identity the pipeline
 * signs in as (a user without a password on a cluster, a database role on Serverless) and its
 * grants. Each statement is an `aws.redshiftdata.Statement`, run once through the Data API when
 * created, in order, and written so that running it again changes nothing.
 *
 * Why Statement resources rather than a migration step in the pipeline: the schema then exists
 * before the first scheduled load, a change to a domain shows in `pulumi preview`, and the
 * pipeline's role needs no DDL rights. A changed statement is a replaced resource that runs the new
 * text; `CREATE TABLE IF NOT EXISTS` does not alter an existing table, so adding a column to a
 * domain that already has data needs an `ALTER TABLE` of its own (see the README).
 */
export class WarehouseSchema extends pulumi.ComponentResource {
    /** Schema the domain tables are in. */
    public readonly schemaName: string;
    /** The database identity the load runs as. */
    public readonly loader: string;

    constructor(name: string, args: WarehouseSchemaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:warehouse:WarehouseSchema", name, {}, opts);
        const address = args.target.kind === "cluster" ? { clusterIdentifier: args.target.clusterIdentifier } : { workgroupName: args.target.workgroupName };
        let previous: aws.redshiftdata.Statement | undefined;
        for (const statement of schemaStatements(args.domains, args.target.kind, args.database)) {
            previous = new aws.redshiftdata.Statement(
                `${name}-${statement.id}`,
                { ...address, database: args.database, secretArn: args.adminSecretArn, sql: statement.sql, statementName: `${name}-${statement.id}` },
                { parent: this, dependsOn: previous ? [previous] : [] },
            );
        }
        this.schemaName = WAREHOUSE_SCHEMA;
        this.loader = LOADER;
        this.registerOutputs({ schemaName: this.schemaName, loader: this.loader });
    }
}
