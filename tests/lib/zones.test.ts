import * as assert from "node:assert/strict";
import { chooseZones, pinnedZoneIds, UNSUPPORTED_ZONE_IDS, zoneIdPrefix } from "../../lib/zones";

describe("choosing Availability Zones", () => {
    // In this account the names map to ids out of order, and us-east-1a is the zone MSK refuses.
    const account = { names: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"], zoneIds: ["use1-az3", "use1-az6", "use1-az1", "use1-az2"] };

    it("chooses by zone id, never a zone a configured service refuses", () => {
        assert.deepEqual(chooseZones(account, 3, UNSUPPORTED_ZONE_IDS.msk.zoneIds), { names: ["us-east-1c", "us-east-1d", "us-east-1b"], zoneIds: ["use1-az1", "use1-az2", "use1-az6"] });
        // Without MSK, use1-az3 is a zone like any other.
        assert.deepEqual(chooseZones(account, 3, []).zoneIds, ["use1-az1", "use1-az2", "use1-az3"]);
    });

    it("gives every account the same physical zones, whatever its names", () => {
        const other = { names: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"], zoneIds: ["use1-az1", "use1-az2", "use1-az3", "use1-az6"] };
        assert.deepEqual(chooseZones(other, 3, UNSUPPORTED_ZONE_IDS.msk.zoneIds).zoneIds, chooseZones(account, 3, UNSUPPORTED_ZONE_IDS.msk.zoneIds).zoneIds);
    });

    it("says how many usable zones the Region has when too few remain", () => {
        assert.throws(() => chooseZones({ names: ["a", "b"], zoneIds: ["use1-az1", "use1-az3"] }, 2, ["use1-az3"]), /got 2; the Region offers only 1 usable Availability Zones once use1-az3 .* are left out/);
    });

    it("writes zone-id prefixes as AWS does", () => {
        assert.deepEqual(["us-east-1", "eu-west-1", "ap-southeast-2", "eu-central-1", "ap-northeast-1", "ca-central-1"].map(zoneIdPrefix), ["use1", "euw1", "apse2", "euc1", "apne1", "cac1"]);
    });

    describe("pinned zone ids", () => {
        const useast1 = ["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"];
        it("takes the Region table's first ids the services accept, never asking which zones are available now", () => {
            assert.deepEqual(pinnedZoneIds(useast1, 3, UNSUPPORTED_ZONE_IDS.msk.zoneIds), ["use1-az1", "use1-az2", "use1-az4"]);
            assert.deepEqual(pinnedZoneIds(useast1, 3, []), ["use1-az1", "use1-az2", "use1-az3"]);
        });
        it("keeps configured ids, in their order, and refuses ids that cannot be used", () => {
            assert.deepEqual(pinnedZoneIds(useast1, 2, [], ["use1-az6", "use1-az2"]), ["use1-az6", "use1-az2"]);
            assert.throws(() => pinnedZoneIds(useast1, 3, [], ["use1-az1", "use1-az2"]), /got 2 zone ids; expected exactly azCount \(3\)/);
            assert.throws(() => pinnedZoneIds(useast1, 2, [], ["use1-az1", "euw1-az2"]), /got euw1-az2; expected zone ids of the Region/);
            assert.throws(() => pinnedZoneIds(useast1, 2, UNSUPPORTED_ZONE_IDS.msk.zoneIds, ["use1-az1", "use1-az3"]), /got use1-az3; a service of the platform cannot use it/);
            assert.throws(() => pinnedZoneIds(useast1, 2, [], ["use1-az1", "use1-az1"]), /got use1-az1 twice/);
        });
    });
});
