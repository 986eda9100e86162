import * as assert from "node:assert/strict";
import { runsPerMonth } from "../../cost/schedule";

describe("schedule frequency", () => {
    it("reads rate expressions", () => {
        assert.equal(runsPerMonth("rate(1 hour)"), 730);
        assert.equal(runsPerMonth("rate(6 hours)"), 730 / 6);
        assert.equal(runsPerMonth("rate(30 minutes)"), 1460);
    });
    it("reads daily cron expressions", () => {
        assert.equal(runsPerMonth("cron(15 * * * ? *)"), 730);
        assert.equal(runsPerMonth("cron(15 */6 * * ? *)"), (730 / 24) * 4);
        assert.equal(runsPerMonth("cron(0 8-17 * * ? *)"), (730 / 24) * 10);
        assert.equal(runsPerMonth("cron(0,30 2 * * ? *)"), (730 / 24) * 2);
    });
    it("gives up (no guess) on expressions it cannot count", () => {
        assert.equal(runsPerMonth("cron(0 12 ? * MON-FRI *)"), undefined);
        assert.equal(runsPerMonth("at(2026-12-01T00:00:00)"), undefined);
    });
});
