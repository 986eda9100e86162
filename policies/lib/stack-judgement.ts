import type { PolicyResource } from "@pulumi/policy";
import type { Finding } from "./rule";

/** A resource a stack check could not judge, and why. */
export interface NotJudged {
    urn: string;
    reason: string;
}

/** Marks an unknown-value error with the resource whose properties held the value. */
const HOLDER = Symbol("unknown value holder");

/**
 * Runs a stack check so that an unknown value stops the judgement of the resources it concerns,
 * not of the stack. The check sees the resources through views that tag an unknown-value error
 * with the resource it was read from; that resource is then set aside (removed from the list and
 * from every other resource's parent and dependencies, so the check sees a consistent stack) and
 * the check runs again, until it completes. Findings about a resource directly attached to one set
 * aside (either depends on the other) may come from its absence: they are not judged either.
 */
export async function judgeStack(
    resources: PolicyResource[],
    check: (resources: PolicyResource[]) => Finding[] | Promise<Finding[]>,
    isUnknownValue: (err: unknown) => boolean,
    pathOf: (err: Error & { props?: PropertyKey[] }) => string,
): Promise<{ findings: Finding[]; notJudged: NotJudged[] }> {
    const aside = new Map<string, string>();
    for (;;) {
        const visible = resources.filter((r) => !aside.has(r.urn));
        const views = new Map<string, PolicyResource>();
        const viewOf = (r: PolicyResource): PolicyResource => {
            let view = views.get(r.urn);
            if (!view) {
                view = resourceView(r, (d) => !aside.has(d.urn), viewOf);
                views.set(r.urn, view);
            }
            return view;
        };
        let findings: Finding[];
        try {
            findings = await check(visible.map(viewOf));
        } catch (err) {
            const holder = err && typeof err === "object" ? (err as Record<symbol, string | undefined>)[HOLDER] : undefined;
            if (!isUnknownValue(err) || !holder || aside.has(holder)) throw err;
            aside.set(holder, `${pathOf(err as Error)} is unknown until the update`);
            continue;
        }
        if (aside.size === 0) return { findings, notJudged: [] };
        const byUrn = new Map(resources.map((r) => [r.urn, r]));
        const attachedTo = new Map<string, string>();
        for (const r of resources) {
            if (aside.has(r.urn)) continue;
            const near = [...directLinks(r)].find((u) => aside.has(u)) ?? [...aside.keys()].find((u) => directLinks(byUrn.get(u)!).has(r.urn));
            if (near) attachedTo.set(r.urn, near);
        }
        const kept: Finding[] = [];
        const notJudged: NotJudged[] = [...aside.entries()].map(([urn, reason]) => ({ urn, reason }));
        const reported = new Set<string>();
        for (const finding of findings) {
            const urn = finding.resource?.urn;
            const near = urn ? attachedTo.get(urn) : undefined;
            if (!urn || !near) {
                kept.push(finding);
                continue;
            }
            if (reported.has(urn)) continue;
            reported.add(urn);
            notJudged.push({ urn, reason: `it is attached to ${near.split("::").pop()}, whose ${aside.get(near)}` });
        }
        return { findings: kept, notJudged };
    }
}

/** URNs a resource is directly linked to: its parent, dependencies and property dependencies. */
function directLinks(r: PolicyResource): Set<string> {
    const urns = new Set<string>((r.dependencies ?? []).map((d) => d.urn));
    for (const deps of Object.values(r.propertyDependencies ?? {})) for (const d of deps) urns.add(d.urn);
    if (r.parent) urns.add(r.parent.urn);
    return urns;
}

/** A resource whose links reach only visible resources, and whose unknown values name it. */
function resourceView(r: PolicyResource, visible: (r: PolicyResource) => boolean, viewOf: (r: PolicyResource) => PolicyResource): PolicyResource {
    const props = tagged(r.props, r.urn, new WeakMap());
    return new Proxy(r, {
        get(target, key, receiver) {
            switch (key) {
                case "props":
                    return props;
                case "parent":
                    return target.parent && visible(target.parent) ? viewOf(target.parent) : undefined;
                case "dependencies":
                    return (target.dependencies ?? []).filter(visible).map(viewOf);
                case "asType":
                    return (resourceClass: unknown) => (target.isType(resourceClass as never) ? props : undefined);
                case "propertyDependencies":
                    return Object.fromEntries(Object.entries(target.propertyDependencies ?? {}).map(([k, deps]) => [k, deps.filter(visible).map(viewOf)]));
                default:
                    return Reflect.get(target, key, receiver);
            }
        },
    });
}

/** Properties whose unknown-value errors carry the URN of the resource they belong to. */
function tagged<T>(value: T, urn: string, cache: WeakMap<object, object>): T {
    if (!value || typeof value !== "object") return value;
    const cached = cache.get(value as object);
    if (cached) return cached as T;
    const proxy = new Proxy(value as object, {
        get(target, key) {
            let field: unknown;
            try {
                field = (target as Record<PropertyKey, unknown>)[key];
            } catch (err) {
                if (err && typeof err === "object") (err as Record<symbol, string | undefined>)[HOLDER] ??= urn;
                throw err;
            }
            if (typeof key === "symbol") return field;
            const desc = Object.getOwnPropertyDescriptor(target, key);
            if (desc && "value" in desc && desc.configurable === false && desc.writable === false) return field;
            return typeof field === "object" ? tagged(field, urn, cache) : field;
        },
    });
    cache.set(value as object, proxy);
    return proxy as T;
}
