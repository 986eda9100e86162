/**
 * Lambda entry point of the warehouse schema function: wires {@link runStatements} to the Redshift
 * Data API with the AWS SDK the Node.js runtime provides. Invoked at deploy time with the schema's
 * statements (see statements.ts); the warehouse, database and admin secret come from the
 * (KMS-encrypted) environment, so a request can only ever run SQL where the function was deployed
 * for. The Data API signs in with the secret on the function's behalf: its value never reaches the
 * function.
 */
import { DescribeStatementCommand, ExecuteStatementCommand, RedshiftDataClient } from "@aws-sdk/client-redshift-data";
import { parseRequest, runStatements, type StatementOutcome, type WarehouseTarget } from "./statements";

const client = new RedshiftDataClient({});

export async function handler(event: unknown, context: { getRemainingTimeInMillis(): number }): Promise<{ warehouse: string; database: string; statements: StatementOutcome[] }> {
    const kind = required("WAREHOUSE_KIND");
    if (kind !== "cluster" && kind !== "serverless") throw new Error(`environment variable WAREHOUSE_KIND is ${kind}, not cluster or serverless`);
    const target: WarehouseTarget = {
        kind,
        name: required("WAREHOUSE_NAME"),
        database: required("DATABASE"),
        secretArn: required("ADMIN_SECRET_ARN"),
    };
    const request = parseRequest(event, target);
    const address = target.kind === "cluster" ? { ClusterIdentifier: target.name } : { WorkgroupName: target.name };
    const statements = await runStatements(
        {
            execute: async (statement) => {
                const submitted = await client.send(
                    new ExecuteStatementCommand({ ...address, Database: target.database, SecretArn: target.secretArn, Sql: statement.sql, StatementName: `lakehouse-schema-${statement.id}` }),
                );
                if (!submitted.Id) throw new Error(`the Data API returned no id for statement ${statement.id}`);
                return submitted.Id;
            },
            describe: async (statementId) => {
                const described = await client.send(new DescribeStatementCommand({ Id: statementId }));
                return { status: described.Status ?? "UNKNOWN", error: described.Error };
            },
        },
        request.statements,
        { remainingMs: () => context.getRemainingTimeInMillis(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    );
    const result = { warehouse: `${target.kind} ${target.name}`, database: target.database, statements };
    console.log(JSON.stringify(result));
    return result;
}

function required(name: string): string {
    const value = process.env[name];
    if (!value) throw new Error(`environment variable ${name} is not set`);
    return value;
}
