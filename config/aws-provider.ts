import { z } from "zod";
import { IAM_ROLE_ARN, intRange, list, oneOf, strict, text } from "./primitives";

/*
 * The stack's `aws:` settings. The platform creates its resources with an explicit provider, and an
 * explicit provider reads no stack configuration of its own
 * (https://www.pulumi.com/docs/iac/concepts/resources/providers/#explicit-providers): without this,
 * `aws:profile`, `aws:assumeRoles` or `aws:allowedAccountIds` in a stack file would be silently
 * ignored and `pulumi up` would deploy with whatever ambient credentials it finds, into whatever
 * account they belong to. Every `aws:` key is therefore either honoured (passed to the provider and
 * to the Lake Formation revocation, which calls AWS itself) or refused with the reason.
 */

const ACCOUNT_ID = /^\d{12}$/;
const accountIds = z.array(text(ACCOUNT_ID, "expected a 12-digit account id, in quotes"), { error: "expected a list of 12-digit account ids, in quotes" }).min(1, {
    error: "expected at least one account id",
});

const assumeRoleSchema = strict({
    /** The role to assume. */
    roleArn: text(IAM_ROLE_ARN, "expected an IAM role ARN (arn:aws:iam::<account>:role/<name>)"),
    /** Session name CloudTrail records. */
    sessionName: text(/^[\w+=,.@-]{2,64}$/, "expected 2 to 64 characters of letters, digits and +=,.@_-").optional(),
    /** External id the role's trust policy requires. */
    externalId: text(/^[\w+=,.@:/-]{2,1224}$/, "expected 2 to 1224 characters of letters, digits and +=,.@:/_-").optional(),
});

/** The `aws:` keys the platform passes to its provider, with their shapes. */
export const HONOURED_AWS_KEYS = {
    "aws:profile": z.string({ error: "expected a profile name" }).min(1, { error: "expected a profile name" }),
    // One file of each kind: the Lake Formation revocation reads them with the SDK's fromIni, which takes one.
    "aws:sharedConfigFiles": z.array(z.string({ error: "expected a file path" }), { error: "expected a list of one file path" }).length(1, { error: "expected exactly one file path" }),
    "aws:sharedCredentialsFiles": z.array(z.string({ error: "expected a file path" }), { error: "expected a list of one file path" }).length(1, { error: "expected exactly one file path" }),
    "aws:assumeRoles": z.array(assumeRoleSchema, { error: "expected a list of { roleArn, sessionName?, externalId? }" }).min(1, {
        error: "expected at least one role",
    }),
    "aws:allowedAccountIds": accountIds,
    "aws:forbiddenAccountIds": accountIds,
    // The engine hands a program every scalar config value as a string ("5"); the stack file's YAML gives a number.
    "aws:maxRetries": z.preprocess((v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v), intRange(0, 100)),
    "aws:retryMode": oneOf(["standard", "adaptive"]),
    "aws:stsRegion": text(/^[a-z]{2}(-[a-z]+)+-\d$/, "expected an AWS Region code such as eu-west-1"),
} as const;

/** `aws:` keys refused with a reason: what to do instead. */
const REFUSED_AWS_KEYS: Record<string, string> = {
    "aws:accessKey": "long-lived keys do not belong in stack configuration: use aws:profile, aws:assumeRoles or the environment's credentials (OIDC in CI)",
    "aws:secretKey": "long-lived keys do not belong in stack configuration: use aws:profile, aws:assumeRoles or the environment's credentials (OIDC in CI)",
    "aws:token": "session tokens expire and do not belong in stack configuration: use aws:profile, aws:assumeRoles or the environment's credentials",
    "aws:assumeRole": "write it as aws:assumeRoles, a list of { roleArn, … } (the provider chains them in order)",
    "aws:defaultTags": "the platform sets its default tags from lakehouse:tags",
    "aws:skipCredentialsValidation": "the platform reads the account from the credentials (STS), so they must be valid",
    "aws:skipRequestingAccountId": "the platform reads the account from the credentials (STS)",
};

/** The provider settings a stack's `aws:` keys ask for, in the provider's own shape. */
export interface AwsProviderSettings {
    /** Named profile of the shared config and credentials files. */
    profile?: string;
    /** Shared config files to read, in order. */
    sharedConfigFiles?: string[];
    /** Shared credentials files to read, in order. */
    sharedCredentialsFiles?: string[];
    /** Roles to assume, in order (each with the credentials of the one before). */
    assumeRoles?: { roleArn: string; sessionName?: string; externalId?: string }[];
    /** The only accounts the provider may act in. */
    allowedAccountIds?: string[];
    /** Accounts the provider must never act in. */
    forbiddenAccountIds?: string[];
    /** Retries of a failed AWS call. */
    maxRetries?: number;
    /** The SDK's retry mode. */
    retryMode?: "standard" | "adaptive";
    /** Region of the STS calls. */
    stsRegion?: string;
}

/** What a stack's `aws:` keys say: the settings, or one line per key that cannot be honoured. */
export function parseAwsProviderSettings(raw: Record<string, unknown>): { settings: AwsProviderSettings; errors: string[] } {
    const settings: Record<string, unknown> = {};
    const errors: string[] = [];
    for (const [key, value] of Object.entries(raw)) {
        if (!key.startsWith("aws:") || key === "aws:region") continue;
        const schema = HONOURED_AWS_KEYS[key as keyof typeof HONOURED_AWS_KEYS];
        if (!schema) {
            const reason = REFUSED_AWS_KEYS[key] ?? `the platform's provider does not honour it; supported aws: keys: aws:region, ${list(Object.keys(HONOURED_AWS_KEYS))}`;
            errors.push(`${key}: refused; ${reason}`);
            continue;
        }
        const parsed = schema.safeParse(value, { reportInput: true });
        if (parsed.success) settings[key.slice("aws:".length)] = parsed.data;
        else {
            const issue = parsed.error.issues[0];
            const where = issue.path.length ? `${key}${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}` : key;
            const input = (issue as { input?: unknown }).input;
            errors.push(`${where}: got ${input === undefined ? "nothing" : JSON.stringify(input)}; ${issue.message}`);
        }
    }
    const allowed = settings.allowedAccountIds as string[] | undefined;
    const forbidden = settings.forbiddenAccountIds as string[] | undefined;
    if (allowed && forbidden) errors.push("aws:forbiddenAccountIds: refused alongside aws:allowedAccountIds; the provider accepts only one of them");
    return { settings: settings as AwsProviderSettings, errors };
}
