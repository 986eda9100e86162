import * as assert from "node:assert/strict";
import fc from "fast-check";
import { contains, parseCidr } from "../../lib/cidr";
import { planSubnets } from "../../lib/subnet-layout";

describe("subnet layout", () => {
    it("gives each AZ a private, an isolated and a public subnet", () => {
        const subnets = planSubnets(parseCidr("10.42.0.0/16")!, 3);
        assert.equal(subnets.length, 9);
        assert.deepEqual(
            subnets.filter((s) => s.tier === "private").map((s) => s.cidrBlock),
            ["10.42.0.0/19", "10.42.32.0/19", "10.42.64.0/19"],
        );
        assert.deepEqual(
            subnets.filter((s) => s.tier === "public").map((s) => s.azIndex),
            [0, 1, 2],
        );
    });

    it("never overlaps and stays inside the VPC for every accepted size and AZ count", () => {
        fc.assert(
            fc.property(fc.integer({ min: 16, max: 20 }), fc.integer({ min: 2, max: 4 }), (prefix, azCount) => {
                const vpc = { base: 0x0a000000, prefix };
                const blocks = planSubnets(vpc, azCount).map((s) => parseCidr(s.cidrBlock)!);
                for (const block of blocks) assert.ok(contains(vpc, block));
                for (let i = 0; i < blocks.length; i++) {
                    for (let j = i + 1; j < blocks.length; j++) {
                        assert.ok(!contains(blocks[i], blocks[j]) && !contains(blocks[j], blocks[i]), "subnets overlap");
                    }
                }
            }),
        );
    });

    it("keeps private subnets at /23 or larger in the smallest VPC", () => {
        const privates = planSubnets(parseCidr("10.0.0.0/20")!, 4).filter((s) => s.tier === "private");
        for (const s of privates) assert.ok(parseCidr(s.cidrBlock)!.prefix <= 23);
    });
});
