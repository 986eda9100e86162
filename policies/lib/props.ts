/** Small readers over engine-shaped property bags, shared by the rules. */

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

/** A policy document input (JSON text or object) as statements. */
export function statements(document: unknown): any[] {
    let doc = document;
    if (typeof doc === "string") {
        try {
            doc = JSON.parse(doc);
        } catch {
            return [];
        }
    }
    const list = (doc as { Statement?: unknown } | undefined)?.Statement;
    return Array.isArray(list) ? list : list ? [list] : [];
}

/** A value as an array (IAM allows a string where a list is meant). */
export function asArray<T>(value: T | T[] | undefined | null): T[] {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : [value];
}

/** True when a statement's principal is everyone (`"*"` or `{ AWS: "*" }`). */
export function isPublicPrincipal(principal: unknown): boolean {
    if (principal === "*") return true;
    if (principal && typeof principal === "object") {
        return asArray((principal as Record<string, unknown>).AWS as string | string[]).includes("*");
    }
    return false;
}

/** True for "true"/true (Redshift's `encrypted` is a string in @pulumi/aws 7). */
export function isTrue(value: unknown): boolean {
    return value === true || value === "true";
}

/** One message per Allow statement that lets everyone in without a condition. */
export function publicAllows(policy: unknown): string[] {
    return statements(policy)
        .filter((s) => s.Effect === "Allow" && isPublicPrincipal(s.Principal) && !s.Condition)
        .map((s) => `statement ${s.Sid ?? "(no Sid)"} allows everyone without a condition`);
}
