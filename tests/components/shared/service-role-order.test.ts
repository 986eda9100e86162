import * as assert from "node:assert/strict";
import { environmentNames } from "../../../config/environments";
import { planJson } from "../../helpers/run-cli";

type Planned = { urn: string; type: string; name: string; id?: string; inputs: Record<string, unknown>; outputs: Record<string, unknown>; dependencies: string[] };

function strings(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(strings);
    if (value && typeof value === "object") return Object.values(value).flatMap(strings);
    return [];
}

/**
 * Whatever is handed a role must wait for the role's inline policies: a Lambda function, a Glue job
 * or a delivery stream created in parallel with PutRolePolicy starts (or is validated) without its
 * grants. Checked on the planned dependencies of every stack.
 */
describe("service roles: every consumer depends on the role's inline policies", () => {
    for (const stack of environmentNames()) {
        it(`in ${stack}`, () => {
            const resources = planJson(stack).doc.resources as unknown as Planned[];
            const roles = new Map(resources.filter((r) => r.type === "aws:iam/role:Role").map((r) => [String(r.outputs.arn), r]));
            const policiesOf = new Map<string, string[]>();
            for (const p of resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy")) {
                policiesOf.set(String(p.inputs.role), [...(policiesOf.get(String(p.inputs.role)) ?? []), p.urn]);
            }
            const early: string[] = [];
            let consumers = 0;
            for (const r of resources) {
                if (r.type === "aws:iam/role:Role" || r.type === "aws:iam/rolePolicy:RolePolicy") continue;
                for (const arn of new Set(strings(r.inputs))) {
                    const role = roles.get(arn);
                    if (!role) continue;
                    consumers++;
                    const missing = (policiesOf.get(String(role.id)) ?? []).filter((urn) => !r.dependencies.includes(urn));
                    if (missing.length > 0) early.push(`${r.type} ${r.name} may start before ${missing.map((u) => u.split("::").pop()).join(", ")}`);
                }
            }
            assert.ok(consumers > 20, `found ${consumers} consumers of roles`);
            assert.deepEqual(early, []);
        });
    }
});
