/** Small readers over engine-shaped property bags, shared by the rules. */
import { isRestrictingConditionKey } from "./condition-keys";

/** The resource's own tags (not the provider's default tags). */
export function ownTags(props: Record<string, any> | undefined): Record<string, string> {
    const tags = props?.tags;
    return tags && typeof tags === "object" ? (tags as Record<string, string>) : {};
}

/**
 * The provider's default tags. The AWS provider serializes `defaultTags` as JSON text in its
 * inputs; accept the object form as well.
 */
export function providerDefaultTags(providerProps: Record<string, any> | undefined): Record<string, string> {
    let value = providerProps?.defaultTags;
    if (typeof value === "string") {
        try {
            value = JSON.parse(value);
        } catch {
            return {};
        }
    }
    const tags = value?.tags;
    return tags && typeof tags === "object" ? tags : {};
}

/** A policy document input (JSON text or object) as its statement objects (anything else dropped). */
export function statements(document: unknown): any[] {
    let doc = document;
    if (typeof doc === "string") {
        try {
            doc = JSON.parse(doc);
        } catch {
            return [];
        }
    }
    if (!doc || typeof doc !== "object") return [];
    const list = (doc as { Statement?: unknown }).Statement;
    return (Array.isArray(list) ? list : list ? [list] : []).filter((s) => !!s && typeof s === "object" && !Array.isArray(s));
}

/**
 * A value as an array (IAM allows a string where a list is meant), without null or undefined
 * entries, so a rule can read each entry's fields without guarding every one.
 */
export function asArray<T>(value: T | T[] | undefined | null): NonNullable<T>[] {
    if (value === undefined || value === null) return [];
    return (Array.isArray(value) ? value : [value]).filter((v): v is NonNullable<T> => v !== undefined && v !== null);
}

/** A statement's `Principal` flattened: its `AWS` entries (`"*"` alone counts as `AWS: "*"`) and its services. */
export function principalsOf(principal: unknown): { aws: string[]; service: string[] } {
    if (principal === "*") return { aws: ["*"], service: [] };
    if (!principal || typeof principal !== "object" || Array.isArray(principal)) return { aws: [], service: [] };
    const p = principal as Record<string, unknown>;
    const strings = (v: unknown) => asArray(v as string[]).filter((s): s is string => typeof s === "string");
    return { aws: strings(p.AWS), service: strings(p.Service) };
}

/** True when a statement's principal is everyone (`"*"` or `{ AWS: "*" }`). */
export function isPublicPrincipal(principal: unknown): boolean {
    return principalsOf(principal).aws.some((p) => p.trim() === "*");
}

/** True for a whole account as principal: its root ARN or its bare 12-digit id. */
export function isAccountPrincipal(principal: string): boolean {
    const p = principal.trim();
    return /^\d{12}$/.test(p) || /^arn:[\w-]+:iam::\d{12}:root$/.test(p);
}

/** True for "true"/true (Redshift's `encrypted` is a string in @pulumi/aws 7). */
export function isTrue(value: unknown): boolean {
    return value === true || value === "true";
}

/** True for "false"/false, the explicit off of a boolean (string-typed in some provider inputs). */
export function isFalse(value: unknown): boolean {
    return value === false || value === "false";
}

/** A policy statement with every field in one shape: lists where IAM allows a single value. */
export interface NormalStatement {
    sid: string;
    effect: string;
    actions: string[];
    notActions: string[];
    resources: string[];
    notResources: string[];
    principal: unknown;
    notPrincipal: unknown;
    /** Operator → key → values (values always a list of strings). */
    condition: Record<string, Record<string, string[]>>;
}

const strings = (value: unknown): string[] => asArray(value as unknown[]).filter((v) => typeof v === "string" || typeof v === "number" || typeof v === "boolean").map(String);

/**
 * A policy document (JSON text or object, `Statement` a list or one object) as normalised
 * statements; anything that is not a statement object is skipped, never thrown on.
 */
export function normalStatements(document: unknown): NormalStatement[] {
    return statements(document)
        .filter((s): s is Record<string, unknown> => !!s && typeof s === "object" && !Array.isArray(s))
        .map((s) => {
            const condition: NormalStatement["condition"] = {};
            if (s.Condition && typeof s.Condition === "object") {
                for (const [operator, keys] of Object.entries(s.Condition as Record<string, unknown>)) {
                    if (!keys || typeof keys !== "object") continue;
                    condition[operator] = Object.fromEntries(Object.entries(keys as Record<string, unknown>).map(([k, v]) => [k, strings(v)]));
                }
            }
            return {
                sid: typeof s.Sid === "string" && s.Sid ? s.Sid : "(no Sid)",
                effect: String(s.Effect ?? ""),
                actions: strings(s.Action),
                notActions: strings(s.NotAction),
                resources: strings(s.Resource),
                notResources: strings(s.NotResource),
                principal: s.Principal,
                notPrincipal: s.NotPrincipal,
                condition,
            };
        });
}

/**
 * True when the statement's condition limits who or where: a key from the maintained list of
 * restricting keys (lib/condition-keys.ts) with a value that is not a bare wildcard.
 */
export function restrictsCaller(statement: NormalStatement): boolean {
    return Object.entries(statement.condition).some(
        ([operator, keys]) =>
            // `…IfExists` passes when the key is absent, as it is for a direct call by any principal.
            !/IfExists$/i.test(operator) &&
            !/^Null$/i.test(operator) &&
            !/^ForAnyValue:/i.test(operator) &&
            Object.entries(keys).some(([key, values]) => isRestrictingConditionKey(key) && values.length > 0 && values.every((v) => !/^[*?]+$/.test(v.trim()))),
    );
}

/** One message per Allow statement that lets everyone in without a condition that restricts who. */
export function publicAllows(policy: unknown): string[] {
    return normalStatements(policy)
        .filter((s) => s.effect === "Allow" && isPublicPrincipal(s.principal) && !restrictsCaller(s))
        .map((s) =>
            Object.keys(s.condition).length > 0
                ? `statement ${s.sid} allows everyone: its condition limits neither who nor where (add aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID or aws:SourceVpce)`
                : `statement ${s.sid} allows everyone without a condition`,
        );
}

/** The value at a dotted path of a property bag, or undefined when any step is missing or not an object. */
export function at(props: unknown, path: string): unknown {
    let value = props;
    for (const part of path.split(".")) {
        if (!value || typeof value !== "object") return undefined;
        value = (value as Record<string, unknown>)[part];
    }
    return value;
}
