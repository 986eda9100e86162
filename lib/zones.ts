/**
 * Availability Zones chosen by zone id. Zone names (us-east-1a) map to different physical zones in
 * each account; zone ids (use1-az1) do not. Services refuse some zone ids, so the choice excludes
 * them, and orders by id so that every account gets the same physical zones.
 */

/** Zone ids a service cannot place resources in, with the AWS documentation that says so. */
export const UNSUPPORTED_ZONE_IDS: Record<string, { zoneIds: string[]; source: string }> = {
    msk: {
        // "Client subnets can't occupy the Availability Zone with ID use1-az3."
        zoneIds: ["use1-az3"],
        source: "https://docs.aws.amazon.com/msk/1.0/apireference/clusters.html#clusters-model-brokernodegroupinfo",
    },
};

/** The Region's zones as `getAvailabilityZones` returns them. */
export interface RegionZones {
    names: string[];
    zoneIds: string[];
}

/** A zone choice: names and ids in the same order. */
export interface ZoneChoice {
    names: string[];
    zoneIds: string[];
}

/** Sort key of a zone id: its `az<n>` number, then the id itself. */
const zoneNumber = (id: string) => Number(/-az(\d+)$/.exec(id)?.[1] ?? Number.MAX_SAFE_INTEGER);

/**
 * The first `count` zones by zone id, leaving out `excluded` ids; throws an Error naming what is
 * missing when the Region has too few usable zones.
 */
export function chooseZones(zones: RegionZones, count: number, excluded: string[]): ZoneChoice {
    const usable = zones.zoneIds
        .map((id, i) => ({ id, name: zones.names[i] }))
        .filter((z) => !excluded.includes(z.id))
        .sort((a, b) => zoneNumber(a.id) - zoneNumber(b.id) || a.id.localeCompare(b.id));
    if (usable.length < count) {
        const left = excluded.length > 0 ? ` once ${excluded.join(", ")} (unsupported by the platform's services) are left out` : "";
        throw new Error(`got ${count}; the Region offers only ${usable.length} usable Availability Zones${left}`);
    }
    const chosen = usable.slice(0, count);
    return { names: chosen.map((z) => z.name), zoneIds: chosen.map((z) => z.id) };
}

/** The zone-id prefix of a Region: us-east-1 → use1, ap-southeast-2 → apse2, eu-central-1 → euc1. */
export function zoneIdPrefix(region: string): string {
    const [area, direction, number] = region.split("-");
    const initials = (direction ?? "").replace(/(north|south)(east|west)?|east|west|central/g, (word) =>
        word
            .replace("north", "n")
            .replace("south", "s")
            .replace("east", "e")
            .replace("west", "w")
            .replace("central", "c"),
    );
    return `${area}${initials}${number ?? ""}`;
}

/**
 * The zone ids an environment is pinned to: the configured ones, or else the first `count` of the
 * Region table's ids (lib/regions.ts) by id, leaving out `excluded`. Nothing here asks AWS which
 * zones are `available` now, so a zone that is impaired (or a new one that appears) never moves a
 * subnet, a broker or the warehouse's subnet group. Throws an Error naming what is wrong.
 */
export function pinnedZoneIds(regionZoneIds: readonly string[], count: number, excluded: string[], configured?: readonly string[]): string[] {
    if (!configured) return chooseZones({ names: [...regionZoneIds], zoneIds: [...regionZoneIds] }, count, excluded).zoneIds;
    if (configured.length !== count) throw new Error(`got ${configured.length} zone ids; expected exactly azCount (${count})`);
    const seen = new Set<string>();
    for (const id of configured) {
        if (!regionZoneIds.includes(id)) throw new Error(`got ${id}; expected zone ids of the Region: ${regionZoneIds.join(", ")}`);
        if (excluded.includes(id)) throw new Error(`got ${id}; a service of the platform cannot use it (${Object.values(UNSUPPORTED_ZONE_IDS).find((u) => u.zoneIds.includes(id))?.source ?? "unsupported"})`);
        if (seen.has(id)) throw new Error(`got ${id} twice; expected each zone once`);
        seen.add(id);
    }
    return [...configured];
}

/** The zone ids the configured services refuse: MSK's, whenever the environment has a Kafka cluster. */
export function excludedZoneIds(mskMode: string): string[] {
    return mskMode !== "none" ? [...UNSUPPORTED_ZONE_IDS.msk.zoneIds] : [];
}
