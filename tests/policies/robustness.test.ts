import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as fc from "fast-check";
import * as policyProxy from "@pulumi/policy/proxy";
import { POLICY_METADATA } from "../../policies/catalog";
import { checkResource, checkStack, type KitResource, policyNamed } from "./kit";

/**
 * A policy that throws fails a real preview. Every policy is fed random and partial inputs for
 * every type it covers: missing, null, string-typed, differently nested values, policy documents
 * as text or objects, malformed JSON, and the engine's unknown marker. No input may make a policy
 * throw; what it reports is not judged here.
 */

const SOURCE_DIRS = ["rules", "lib"].map((d) => path.resolve(__dirname, "../../policies", d));
const SOURCES = SOURCE_DIRS.flatMap((dir) => fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), "utf8")));

/** Every property name a rule reads (`props.x`, `?.x`, `.x`), so generated bags hit real paths. */
const KEYS = [...new Set(SOURCES.flatMap((s) => [...s.matchAll(/\??\.([a-z][A-Za-z0-9]{1,40})\b/g)].map((m) => m[1])))].filter((k) => !["map", "filter", "some", "every", "flatMap", "includes", "length", "push", "join", "split", "slice", "startsWith", "endsWith", "test", "trim", "toLowerCase", "replace", "has", "get", "set", "add", "sort", "find"].includes(k));

/** Every resource type a rule names. */
const TYPES = [...new Set(SOURCES.flatMap((s) => [...s.matchAll(/"(aws:[a-zA-Z0-9]+\/[a-zA-Z0-9]+:[A-Za-z0-9]+)"/g)].map((m) => m[1])))];

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The proxy @pulumi/policy wraps inputs in during a preview (internal, so untyped in its d.ts). */
const { unknownCheckingProxy, unknownStringValue } = policyProxy as unknown as { unknownCheckingProxy: <T>(value: T) => T; unknownStringValue: unknown };

const scalar = fc.oneof(
    fc.constantFrom("*", "true", "false", "Enabled", "Suspended", "aws:kms", "AES256", "Interface", "ON_DEMAND", "Allow", "Deny", "", UNKNOWN, "arn:aws:iam::123456789012:root", "s3:*", "iam:Pass*", "{not json"),
    fc.string({ maxLength: 12 }),
    fc.integer({ min: -5, max: 100_000 }),
    fc.double({ noNaN: false }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
);

const statement = fc.record(
    {
        Sid: fc.oneof(fc.string({ maxLength: 6 }), fc.integer()),
        Effect: fc.constantFrom("Allow", "Deny", "allow", 7),
        Action: fc.oneof(scalar, fc.array(scalar, { maxLength: 4 })),
        NotAction: fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })),
        Resource: fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })),
        NotResource: fc.array(scalar, { maxLength: 2 }),
        Principal: fc.oneof(scalar, fc.record({ AWS: fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), Service: fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })) }, { requiredKeys: [], noNullPrototype: true })),
        NotPrincipal: scalar,
        Condition: fc.oneof(scalar, fc.dictionary(fc.constantFrom("StringEquals", "Bool", "ArnLike", "StringLikeIfExists", "Null"), fc.oneof(scalar, fc.dictionary(fc.constantFrom("aws:SourceArn", "aws:SecureTransport", "aws:PrincipalOrgID", "sts:ExternalId"), fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { noNullPrototype: true })), { noNullPrototype: true })),
    },
    { requiredKeys: [], noNullPrototype: true },
);
const document = fc.oneof(
    fc.record({ Version: scalar, Statement: fc.oneof(statement, fc.array(fc.oneof(statement, scalar), { maxLength: 3 }), scalar) }, { requiredKeys: [], noNullPrototype: true }),
    fc.array(statement, { maxLength: 2 }).map((Statement) => JSON.stringify({ Version: "2012-10-17", Statement })),
);

const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        scalar,
        document,
        fc.array(fc.oneof(tie("value"), fc.constant(null), fc.constant(undefined)), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 4, noNullPrototype: true }),
    ),
})).value;

// The engine hands policies plain objects decoded from protobuf Structs, never null-prototype ones.
const propsOf = (keys: string[]) => fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 8, noNullPrototype: true });
const props = propsOf(KEYS);

/** The property names one policy's own source reads, so its inputs hit its paths most of the time. */
function keysOf(policy: string): string[] {
    for (const source of SOURCES) {
        const start = source.indexOf(`name: "${policy}"`);
        if (start < 0) continue;
        const end = source.slice(start + 1).search(/\n {4}(resourceRule|stackRule)\(/);
        const chunk = source.slice(start, end < 0 ? undefined : start + 1 + end);
        const keys = [...new Set([...chunk.matchAll(/\??\.([a-z][A-Za-z0-9]{1,40})\b/g)].map((m) => m[1]))].filter((k) => KEYS.includes(k));
        if (keys.length) return keys;
    }
    return KEYS;
}
const options = fc.record({ protect: fc.boolean(), ignoreChanges: fc.array(fc.oneof(fc.constantFrom("brokerNodeGroupInfo", "*"), fc.string({ maxLength: 8 })), { maxLength: 2 }) }, { requiredKeys: [], noNullPrototype: true });

const resourceOf = (types: string[], keys: string[] = KEYS) =>
    fc.record({ type: fc.constantFrom(...types), name: fc.string({ minLength: 1, maxLength: 70 }), props: fc.oneof({ weight: 4, arbitrary: propsOf(keys) }, { weight: 1, arbitrary: props }), options, providerProps: fc.option(props, { nil: undefined }) }, { noNullPrototype: true }).map(
        (r): KitResource => ({ type: r.type, name: r.name, props: r.props, protect: r.options.protect, ignoreChanges: r.options.ignoreChanges, providerProps: r.providerProps }),
    );

/**
 * Policy config the engine could hand a policy: any subset of its declared parameters, each of its
 * declared type (the CLI checks types against the schema; an undeclared key is refused by the pack,
 * tested in pack-install.test.ts).
 */
const configOf = (meta: (typeof POLICY_METADATA)[number]) => {
    const byType = { number: fc.integer({ min: -5, max: 100_000 }), string: fc.string({ maxLength: 12 }), boolean: fc.boolean(), array: fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: 0, max: 65535 })), { maxLength: 3 }) };
    const specs = Object.entries(meta.params ?? {});
    return fc.record(Object.fromEntries(specs.map(([key, spec]) => [key, byType[spec.type] as fc.Arbitrary<unknown>])), { requiredKeys: [], noNullPrototype: true }) as fc.Arbitrary<Record<string, unknown>>;
};

/** Runs per policy; the policies together see many thousands of generated inputs. */
const RUNS = Number(process.env.ROBUSTNESS_RUNS ?? 100);

describe("every policy is robust to the shapes of its inputs", () => {
    it("the generators know the types and properties the rules read", () => {
        assert.ok(TYPES.length > 60, `found ${TYPES.length} types`);
        for (const key of ["assumeRolePolicy", "serverProperties", "versioningConfiguration", "publicAccessBlockConfiguration", "inlinePolicies"]) assert.ok(KEYS.includes(key), key);
    });

    let total = 0;
    after(() => {
        if (total > 0) assert.ok(total >= 5000, `only ${total} inputs were judged`);
    });

    for (const meta of POLICY_METADATA) {
        it(`${meta.name} never throws`, async () => {
            const policy = policyNamed(meta.name) as any;
            const types = (meta as { types?: string[] }).types?.filter((t) => t !== "*") ?? [];
            if (policy.validateStack) {
                await fc.assert(
                    fc.asyncProperty(fc.array(resourceOf(TYPES, keysOf(meta.name)), { maxLength: 6 }), configOf(meta), async (resources, config) => {
                        const named = resources.map((r, i) => ({ ...r, name: `${r.name}-${i}` }));
                        await checkStack(meta.name, named, config);
                        total++;
                    }),
                    { numRuns: RUNS },
                );
            } else {
                await fc.assert(
                    fc.asyncProperty(resourceOf(types.length ? types : TYPES, keysOf(meta.name)), async (resource) => {
                        await checkResource(meta.name, resource);
                        total++;
                    }),
                    { numRuns: RUNS },
                );
            }
        });
    }

    it("never throws, nor reports the unknown itself, when a value it reads is unknown during a preview (the engine's proxy throws on access)", async () => {
        let judged = 0;
        for (const meta of POLICY_METADATA) {
            const policy = policyNamed(meta.name) as any;
            if (!policy.validateResource) continue;
            const types = ((meta as { types?: string[] }).types ?? []).filter((t) => t !== "*");
            for (const key of keysOf(meta.name)) {
                const props = unknownCheckingProxy({ [key]: unknownStringValue, tags: {} }) as Record<string, unknown>;
                for (const type of types.length ? types : TYPES.slice(0, 1)) {
                    // Resolves (no exception fails the preview) and never reports the unknown as a value.
                    const findings = await checkResource(meta.name, { type, name: "r", props });
                    assert.ok(!findings.some((f) => f.includes(String(unknownStringValue))), `${meta.name} on ${type} reported the unknown ${key}`);
                    judged++;
                }
            }
        }
        assert.ok(judged > 300, `judged ${judged}`);
    });
});
