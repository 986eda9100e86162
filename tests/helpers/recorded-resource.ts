import type { RecordedResource } from "../../cli/engine/run-program";

/**
 * A custom resource as the recording monitor records it, with no inputs or outputs of its own:
 * what tests hand the analyzer client. Its dependencies are those its properties name.
 */
export function recordedResource(urn: string, type: string, name: string, propertyDependencies: Record<string, string[]> = {}, ignoreChanges: string[] = []): RecordedResource {
    return {
        urn,
        type,
        name,
        custom: true,
        parent: null,
        provider: null,
        inputs: {},
        id: name,
        outputs: {},
        protect: false,
        retainOnDelete: false,
        dependencies: [...new Set(Object.values(propertyDependencies).flat())],
        propertyDependencies,
        aliases: [],
        options: ignoreChanges.length ? { ignoreChanges } : {},
    };
}
