/**
 * One mock engine for every in-process test, installed when this module loads. Component modules
 * may be imported before or after it (checked with @pulumi/pulumi 3.270); only a module that
 * registers resources as it loads, such as a program's entry point, must come after it.
 */
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { OFFLINE_ACCOUNT_ID } from "../../cli/engine/mock-state";
import { installRecordingMocks, type RecordedResource } from "../../cli/engine/run-program";
import type { AccountContext } from "../../components/shared/naming";

export const TEST_REGION = "eu-west-1";

/**
 * The role in-process tests deploy as. A platform refuses to run as anyone but its deployer role or
 * a Lake Formation administrator, so a test building one names this role its deployer.
 */
export const TEST_DEPLOYER_ROLE_ARN = `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:role/lakehouse-deployer`;

const recorder = installRecordingMocks(path.resolve(__dirname, "../.."), "lakehouse", "test", {
    accountId: OFFLINE_ACCOUNT_ID,
    region: TEST_REGION,
    partition: "aws",
    runnerRoleArn: TEST_DEPLOYER_ROLE_ARN,
});

/** A stack configuration deployed by the tests' role (see {@link TEST_DEPLOYER_ROLE_ARN}). */
export function deployedByTests<C extends { governance: { deployerRoleArn: string; administrators: string[] } }>(config: C): C {
    return { ...config, governance: { ...config.governance, deployerRoleArn: TEST_DEPLOYER_ROLE_ARN } };
}

/** The account context components are built with in tests. */
export const testAccount: AccountContext = { accountId: OFFLINE_ACCOUNT_ID, partition: "aws", region: TEST_REGION };

/** Waits for every registration so far, then returns the custom resources under a component. */
export async function resourcesUnder(component: pulumi.ComponentResource): Promise<RecordedResource[]> {
    await recorder.settle();
    const root = await urnOf(component);
    const all = recorder.resources;
    const byParent = new Map<string, RecordedResource[]>();
    for (const r of all) {
        if (!r.parent) continue;
        byParent.set(r.parent, [...(byParent.get(r.parent) ?? []), r]);
    }
    const out: RecordedResource[] = [];
    const walk = (urn: string) => {
        for (const child of byParent.get(urn) ?? []) {
            if (child.custom) out.push(child);
            walk(child.urn);
        }
    };
    walk(root);
    return out;
}

/** Waits for every registration so far, then returns all of them (components included). */
export async function allRecorded(): Promise<RecordedResource[]> {
    await recorder.settle();
    return [...recorder.resources];
}

/** Resources of one type (e.g. `aws:s3/bucket:Bucket`). */
export function ofType(resources: RecordedResource[], type: string): RecordedResource[] {
    return resources.filter((r) => r.type === type);
}

/** The single resource of a type; fails the test when there is not exactly one. */
export function single(resources: RecordedResource[], type: string): RecordedResource {
    const found = ofType(resources, type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0];
}

/** Parses a JSON policy document input. */
export function policyOf(resource: RecordedResource, key = "policy"): { Statement: any[] } {
    return JSON.parse(String(resource.inputs[key]));
}

/** Resolves an Output in tests. */
export function resolved<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}

function urnOf(resource: pulumi.Resource): Promise<string> {
    return resolved(resource.urn);
}
