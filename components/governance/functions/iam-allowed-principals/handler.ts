/**
 * Lambda entry point of the IAM_ALLOWED_PRINCIPALS revocation: wires {@link revokeIamAllowedPrincipals}
 * to Lake Formation with the AWS SDK the Node.js runtime provides. Invoked at deploy time with the
 * governed databases and tables (see revoke.ts); the catalog comes from the (KMS-encrypted)
 * environment, so a request can only ever revoke in the account the function was deployed for. It
 * acts as its own role, which the platform makes a Lake Formation administrator: Lake Formation
 * refuses a revocation from anyone else
 * (https://docs.aws.amazon.com/lake-formation/latest/dg/required-permissions-for-grant.html).
 */
import { LakeFormationClient, RevokePermissionsCommand } from "@aws-sdk/client-lakeformation";
import { parseRequest, revokeIamAllowedPrincipals } from "./revoke";

const client = new LakeFormationClient({});

export async function handler(event: unknown): Promise<{ catalogId: string; revoked: string[] }> {
    const request = parseRequest(event, required("CATALOG_ID"));
    const revoked = await revokeIamAllowedPrincipals((input) => client.send(new RevokePermissionsCommand(input)), request);
    const result = { catalogId: request.catalogId, revoked };
    console.log(JSON.stringify(result));
    return result;
}

function required(name: string): string {
    const value = process.env[name];
    if (!value) throw new Error(`environment variable ${name} is not set`);
    return value;
}
