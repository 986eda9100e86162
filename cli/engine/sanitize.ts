/**
 * Converts engine wire values (protobuf Struct as plain JSON) into plain, deterministic JSON for
 * the plan: secrets are masked, resource references become their URN, unknowns are marked.
 */

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Text that replaces every secret value in plan output. */
export const MASKED_SECRET = "[secret]";

export function sanitizeValue(value: unknown): unknown {
    if (value === UNKNOWN) return "[unknown]";
    if (Array.isArray(value)) return value.map(sanitizeValue);
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    switch (obj[SIG_KEY]) {
        case SECRET_SIG:
            return MASKED_SECRET;
        case RESOURCE_SIG:
            return obj.urn;
        case ASSET_SIG:
        case ARCHIVE_SIG:
            return { asset: obj.path ?? obj.uri ?? (obj.text !== undefined ? "[inline text]" : "[archive]") };
        case OUTPUT_SIG:
            return obj.secret === true ? MASKED_SECRET : sanitizeValue(obj.value);
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj).sort()) out[key] = sanitizeValue(obj[key]);
    return out;
}
