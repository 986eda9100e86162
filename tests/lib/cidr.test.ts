import * as assert from "node:assert/strict";
import fc from "fast-check";
import { contains, formatCidr, isNetworkAddress, parseCidr, subnetOf } from "../../lib/cidr";

describe("cidr", () => {
    it("parses and formats a CIDR", () => {
        assert.deepEqual(parseCidr("10.42.0.0/16"), { base: 0x0a2a0000, prefix: 16 });
        assert.equal(formatCidr(parseCidr("192.168.16.0/20")!), "192.168.16.0/20");
    });

    it("rejects malformed text", () => {
        for (const text of ["10.0.0/16", "10.0.0.256/16", "10.0.0.0/33", "10.0.0.0", "a.b.c.d/8"]) {
            assert.equal(parseCidr(text), undefined, text);
        }
    });

    it("detects host bits", () => {
        assert.equal(isNetworkAddress(parseCidr("10.0.0.0/16")!), true);
        assert.equal(isNetworkAddress(parseCidr("10.0.1.0/16")!), false);
    });

    it("carves sub-blocks like cidrsubnet", () => {
        const vpc = parseCidr("10.42.0.0/16")!;
        assert.equal(formatCidr(subnetOf(vpc, 3, 2)), "10.42.64.0/19");
        assert.equal(formatCidr(subnetOf(vpc, 4, 15)), "10.42.240.0/20");
        assert.throws(() => subnetOf(vpc, 3, 8), RangeError);
    });

    it("every sub-block lies inside its parent and round-trips through text", () => {
        fc.assert(
            fc.property(fc.integer({ min: 8, max: 24 }), fc.integer({ min: 1, max: 6 }), fc.nat(), fc.nat(), (prefix, newBits, seed, index) => {
                const base = (seed * 2 ** (32 - prefix)) % 2 ** 32;
                const parent = { base: base >>> 0, prefix };
                const child = subnetOf(parent, newBits, index % 2 ** newBits);
                assert.ok(contains(parent, child));
                assert.deepEqual(parseCidr(formatCidr(child)), child);
            }),
        );
    });
});
