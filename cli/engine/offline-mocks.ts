import { type MockTarget, synthesizeState } from "./mock-state";

/** Arguments of a mocked resource registration (the SDK's `MockResourceArgs`). */
export interface MockResourceArgs {
    type: string;
    name: string;
    inputs: any;
    provider?: string;
    custom?: boolean;
    id?: string;
}

/** Arguments of a mocked invoke (the SDK's `MockCallArgs`). */
export interface MockCallArgs {
    token: string;
    inputs: any;
    provider?: string;
}

/** Raised for an invoke the offline plan cannot answer truthfully. */
export class UnsupportedInvokeError extends Error {
    constructor(token: string) {
        super(`the offline plan cannot answer the data source ${token}; only account, Region, partition and AZ look-ups are simulated`);
        this.name = "UnsupportedInvokeError";
    }
}

/**
 * The SDK `Mocks` implementation of the offline plan: deterministic resource state, and answers
 * to the invokes a platform program makes to learn where it runs.
 */
export class OfflineMocks {
    constructor(private readonly target: MockTarget) {}

    newResource(args: MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        if (!args.custom) return { id: undefined, state: args.inputs };
        if (args.type.startsWith("pulumi:providers:")) return { id: `${args.name}-provider`, state: args.inputs };
        return synthesizeState(args.type, args.name, args.inputs ?? {}, this.target);
    }

    call(args: MockCallArgs): Record<string, unknown> {
        const t = this.target;
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return {
                    accountId: t.accountId,
                    arn: `arn:${t.partition}:iam::${t.accountId}:role/offline-plan`,
                    userId: "AROAOFFLINEPLAN:offline-plan",
                    id: t.accountId,
                };
            case "aws:index/getPartition:getPartition":
                return {
                    partition: t.partition,
                    dnsSuffix: t.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com",
                    reverseDnsPrefix: t.partition === "aws-cn" ? "cn.com.amazonaws" : "com.amazonaws",
                    id: t.partition,
                };
            case "aws:index/getRegion:getRegion":
                return { name: t.region, region: t.region, id: t.region, description: t.region, endpoint: `ec2.${t.region}.amazonaws.com` };
            case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                const letters = ["a", "b", "c", "d", "e", "f"];
                return {
                    id: t.region,
                    names: letters.map((l) => `${t.region}${l}`),
                    zoneIds: letters.map((_, i) => `${t.region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
                    groupNames: letters.map(() => t.region),
                };
            }
            default:
                throw new UnsupportedInvokeError(args.token);
        }
    }
}
