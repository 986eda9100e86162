/**
 * The tag set of the platform, defined once. The provider applies it to every taggable resource
 * through `defaultTags`; buckets add their `data-zone` on top.
 */

/** Tag keys the platform writes and its policy pack requires. */
export const TAG_KEYS = {
    environment: "environment",
    owner: "owner",
    team: "team",
    costCentre: "cost-centre",
    managedBy: "managed-by",
    dataZone: "data-zone",
} as const;

/** Value of the `managed-by` tag: tells an operator in the console not to edit by hand. */
export const MANAGED_BY = "pulumi-lakehouse-blueprint";

/** Ownership facts the tags are built from. */
export interface OwnershipTags {
    /** Team mailbox or person accountable for the environment. */
    owner: string;
    /** Owning team. */
    team: string;
    /** Cost centre charged for the environment. */
    costCentre: string;
    /** Further organisation tags; they cannot override the platform's own keys. */
    extra?: Record<string, string>;
}

/** The default tags of an environment's AWS provider. */
export function platformTags(environment: string, ownership: OwnershipTags): Record<string, string> {
    return {
        ...(ownership.extra ?? {}),
        [TAG_KEYS.environment]: environment,
        [TAG_KEYS.owner]: ownership.owner,
        [TAG_KEYS.team]: ownership.team,
        [TAG_KEYS.costCentre]: ownership.costCentre,
        [TAG_KEYS.managedBy]: MANAGED_BY,
    };
}
