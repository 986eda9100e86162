import * as assert from "node:assert/strict";
import { compareEstimates } from "../../cost/compare";
import type { CostLine } from "../../cost/estimator";

const line = (resource: string, priceKey: string, monthly: number): CostLine => ({
    urn: `urn:pulumi:s::p::t::${resource}`,
    type: "t",
    component: "c",
    item: priceKey,
    priceKey,
    quantity: 1,
    unit: "u",
    unitPrice: monthly,
    monthly,
    usageBased: false,
});

describe("cost comparison", () => {
    it("aligns environments by name and sorts differences by impact", () => {
        const dev = { label: "dev", namePrefix: "lh-dev", monthlyTotal: 60, byComponent: { "lh-dev-lake (x)": 10, "lh-dev (vpc)": 50 }, lines: [line("lh-dev-raw", "s3.standard", 10), line("lh-dev-0", "nat.hour", 50)] };
        const prod = {
            label: "prod",
            namePrefix: "lh-prod",
            monthlyTotal: 265,
            byComponent: { "lh-prod-lake (x)": 100, "lh-prod (vpc)": 150, "lh-prod-trail (t)": 15 },
            lines: [line("lh-prod-raw", "s3.standard", 100), line("lh-prod-0", "nat.hour", 50), line("lh-prod-1", "nat.hour", 50), line("lh-prod-2", "nat.hour", 50), line("lh-prod-trail", "cloudtrail.data-events", 15)],
        };
        const c = compareEstimates(dev, prod);
        assert.deepEqual(c.total, { key: "total", before: 60, after: 265, delta: 205 });
        assert.deepEqual(c.byComponent.map((d) => [d.key, d.delta]), [["<env> (vpc)", 100], ["<env>-lake (x)", 90], ["<env>-trail (t)", 15]]);
        assert.deepEqual(c.lines.map((d) => [d.key, d.delta]), [
            ["<env>-raw · s3.standard", 90],
            ["<env>-1 · nat.hour", 50],
            ["<env>-2 · nat.hour", 50],
            ["<env>-trail · cloudtrail.data-events", 15],
        ]);
    });
});
