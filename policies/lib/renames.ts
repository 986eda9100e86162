/**
 * Policies renamed or split, so their old names keep working in exemption tags and policy config
 * files (with a deprecation notice) while teams move to the new ones.
 */

/** A retired policy name and the policies that now check what it checked. */
export interface RenamedPolicy {
    replacedBy: string[];
    /** Pack version that retired the name. */
    since: string;
    why: string;
}

export const RENAMED_POLICIES: Readonly<Record<string, RenamedPolicy>> = {
    "iam-no-decrypt-all-keys": {
        replacedBy: ["iam-no-full-admin", "iam-no-secret-read-on-all"],
        since: "0.2.0",
        why: "it also caught every action on every resource, which its name hid",
    },
};

/** The current names a (possibly retired) policy name stands for. */
export function currentNames(name: string): string[] {
    return RENAMED_POLICIES[name]?.replacedBy ?? [name];
}

/** The deprecation notice for a retired name, or undefined for a current one. */
export function deprecationNotice(name: string): string | undefined {
    const renamed = RENAMED_POLICIES[name];
    return renamed ? `"${name}" is retired since ${renamed.since} (${renamed.why}); use ${renamed.replacedBy.map((n) => `"${n}"`).join(" and ")}` : undefined;
}
