/**
 * What every command that calls AWS needs: credentials found before the first call (one line when
 * there are none) and the account the credentials act in, from STS.
 */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

/** A problem the user can fix (credentials, account, arguments): printed as one line. */
export class UserError extends Error {}

/** Resolves a client's credentials before any call, so a machine without them fails fast with one line. */
export async function ensureCredentials(client: { config: { credentials: () => Promise<unknown> } }): Promise<void> {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new UserError("timed out looking for AWS credentials")), 10_000).unref());
    try {
        await Promise.race([client.config.credentials(), timeout]);
    } catch (err) {
        throw new UserError(`no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where an IAM role is available (${oneLine(err)})`);
    }
}

/** The account of the credentials in use, from STS GetCallerIdentity (which needs no permission). */
export async function callerAccount(region: string, endpoint?: string): Promise<string> {
    const sts = new STSClient({ region, maxAttempts: 3, ...(endpoint ? { endpoint } : {}) });
    try {
        const identity = await sts.send(new GetCallerIdentityCommand({}));
        if (!identity.Account || !/^\d{12}$/.test(identity.Account)) throw new UserError("STS GetCallerIdentity returned no account id; pass --account-id <12 digits>");
        return identity.Account;
    } catch (err) {
        if (err instanceof UserError) throw err;
        throw new UserError(`could not ask STS which account the credentials belong to (${oneLine(err)}); pass --account-id <12 digits>`);
    } finally {
        sts.destroy();
    }
}

/** The first line of an error's message. */
export function oneLine(err: unknown): string {
    const message = err instanceof Error ? err.message : String(err);
    return message.split("\n")[0].trim();
}
