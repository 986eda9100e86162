import { Secret } from "@pulumi/policy";

/**
 * The engine's sentinels for values unknown until the update (the wire protocol's, as
 * @pulumi/policy decodes them): one per kind of value.
 */
const UNKNOWN_SENTINELS = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** Whether a raw property value is unknown until the update. */
export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** Thrown when a fix reads a value that is unknown (named like @pulumi/policy's, which the rules recognise). */
class UnknownValueError extends Error {
    constructor(readonly props: PropertyKey[]) {
        super(`value at .${props.map(String).join(".")} can't be known during preview`);
        this.name = "UnknownValueError";
    }
}

/**
 * The plain properties under @pulumi/policy's proxies (its unknown-checking and
 * secret-preserving proxies answer `__getSpecialProxyTarget` with what they wrap): unknowns as
 * their sentinels, secrets as `Secret`s, so they go back to the engine unchanged.
 */
export function rawProps(props: unknown): Record<string, any> {
    let value: any = props ?? {};
    while (value && typeof value === "object" && value.__isSpecialProxy === true) value = value.__getSpecialProxyTarget;
    return value;
}

const views = new WeakMap<object, object>();
const targets = new WeakMap<object, object>();

/**
 * What a fix sees: the known properties only. An unknown one is not among its keys (so a spread
 * `{ ...props, fixed: true }` never touches it) and reading it throws, so a fix never decides from
 * a value it cannot see; secrets read as their value, as @pulumi/policy shows them.
 */
export function knownView<T extends object>(raw: T, path: PropertyKey[] = []): T {
    const cached = views.get(raw);
    if (cached) return cached as T;
    const view = new Proxy(raw, {
        get(target, key) {
            const field = Reflect.get(target, key);
            if (typeof key === "symbol") return field;
            if (isUnknown(field)) throw new UnknownValueError([...path, key]);
            const desc = Object.getOwnPropertyDescriptor(target, key);
            if (desc && "value" in desc && desc.configurable === false && desc.writable === false) return field;
            return presented(field, [...path, key]);
        },
        ownKeys(target) {
            return Reflect.ownKeys(target).filter((key) => typeof key === "symbol" || !isUnknown(Reflect.get(target, key)));
        },
        getOwnPropertyDescriptor(target, key) {
            const desc = Reflect.getOwnPropertyDescriptor(target, key);
            if (!desc || typeof key === "symbol") return desc;
            if (isUnknown(desc.value)) return undefined;
            return desc.configurable ? { ...desc, value: presented(desc.value, [key]) } : desc;
        },
    });
    views.set(raw, view);
    targets.set(view, raw);
    return view;
}

function presented(field: unknown, path: PropertyKey[]): unknown {
    const value = field instanceof Secret ? field.value : field;
    return value && typeof value === "object" ? knownView(value, path) : value;
}

/**
 * The properties a fix returns, for the engine: the fix's values where it changed one, and the
 * original (with its unknowns and secrets) wherever it did not; a known key the fix dropped is dropped.
 */
export function mergeFix(raw: Record<string, any>, view: Record<string, any>, fix: Record<string, any>): Record<string, any> {
    const out: Record<string, any> = { ...raw };
    for (const key of Object.keys(view)) if (!(key in fix)) delete out[key];
    for (const [key, value] of Object.entries(fix)) {
        const before = isUnknown(raw[key]) ? undefined : presented(raw[key], [key]);
        if (key in raw && value === before) continue;
        out[key] = unwrap(value);
    }
    return out;
}

/** A value with every known-view inside it replaced by what it shows. */
function unwrap(value: unknown): unknown {
    if (!value || typeof value !== "object") return value;
    const target = targets.get(value);
    if (target) return target;
    if (Array.isArray(value)) return value.map(unwrap);
    if (Object.getPrototypeOf(value) !== Object.prototype) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
}
