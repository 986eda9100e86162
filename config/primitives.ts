import { z } from "zod";

/*
 * The building blocks of the configuration schema: each returns a zod type whose message says what
 * is allowed. The loader prefixes it with the key and the value received, so a bad value reads
 * `lakehouse:network.azCount: got 7; expected an integer from 2 to 4`.
 */

/** A comma-separated list of allowed values, for messages. */
export const list = (values: readonly (string | number)[]) => values.join(", ");

/** An integer from `min` to `max`. */
export function intRange(min: number, max: number) {
    const allowed = `expected an integer from ${min} to ${max}`;
    return z.number({ error: allowed }).int({ error: allowed }).min(min, { error: allowed }).max(max, { error: allowed });
}

/** One of a fixed set of strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
    return z.enum(values, { error: `expected one of: ${list(values)}` });
}

/** A string matching `pattern`. */
export function text(pattern: RegExp, allowed: string) {
    return z.string({ error: allowed }).regex(pattern, { error: allowed });
}

/** A boolean. */
export function flag() {
    return z.boolean({ error: "expected true or false" });
}

/** A strict object: an unknown (usually misspelt) key is an error that lists the allowed keys. */
export function strict<T extends z.ZodRawShape>(shape: T) {
    return z.strictObject(shape, {
        error: (issue) =>
            issue.code === "unrecognized_keys"
                ? `unknown key; allowed keys: ${Object.keys(shape).join(", ")}`
                : "expected a mapping of keys to values",
    });
}

/** An IAM role ARN, in any partition. */
export const IAM_ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** An IAM role or user ARN, in any partition. */
export const IAM_PRINCIPAL_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

/** The account id of an IAM ARN. */
export function accountOfArn(arn: string): string | undefined {
    return /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1];
}
