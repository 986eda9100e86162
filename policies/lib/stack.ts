import type { PolicyResource } from "@pulumi/policy";

/** Lookups over the resources a stack policy receives. */
export class StackIndex {
    private readonly byType = new Map<string, PolicyResource[]>();

    constructor(readonly resources: PolicyResource[]) {
        for (const r of resources) this.byType.set(r.type, [...(this.byType.get(r.type) ?? []), r]);
    }

    ofType(...types: string[]): PolicyResource[] {
        return types.flatMap((t) => this.byType.get(t) ?? []);
    }

    /**
     * Resources of `type` attached to `target` through `property`: the property's value came from
     * the target (property dependencies, known during a preview), or, failing that, equals one of
     * the target's identifying values.
     */
    attached(target: PolicyResource, type: string, property: string, identifiers: unknown[] = []): PolicyResource[] {
        const known = identifiers.filter((v) => v !== undefined && v !== null && v !== "");
        return this.ofType(type).filter((r) => {
            const deps = r.propertyDependencies?.[property] ?? [];
            if (deps.some((d) => d.urn === target.urn)) return true;
            const value = r.props[property];
            return known.length > 0 && (known.includes(value) || (Array.isArray(value) && value.some((v) => known.includes(v))));
        });
    }

    /** The resources `source`'s property came from. */
    sourcesOf(source: PolicyResource, property: string): PolicyResource[] {
        return source.propertyDependencies?.[property] ?? [];
    }
}
