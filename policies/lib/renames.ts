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
    "s3-public-access-blocked": {
        replacedBy: ["s3-public-access-block-present", "s3-public-access-block-settings"],
        since: "0.2.0",
        why: "it now reports only a missing block; the block's settings are judged on the block itself",
    },
    "s3-sse-kms-cmk": {
        replacedBy: ["s3-default-encryption-present", "s3-encryption-configuration-cmk"],
        since: "0.2.0",
        why: "it now reports only a missing configuration; the configuration's key is judged on the configuration itself",
    },
    "s3-acls-disabled": {
        replacedBy: ["s3-ownership-controls-present", "s3-ownership-enforced"],
        since: "0.2.0",
        why: "it now reports only missing ownership controls; their setting is judged on the controls themselves",
    },
    "redshift-require-ssl": {
        replacedBy: ["redshift-custom-parameter-group", "redshift-parameter-group-require-ssl"],
        since: "0.2.0",
        why: "it now reports only a cluster on a default parameter group; require_ssl is judged on the group itself",
    },
    "cloudtrail-multi-region": {
        replacedBy: ["cloudtrail-multi-region-management-events"],
        since: "0.2.0",
        why: "it also checks that management events are recorded, which its name hid",
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
