import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { effectivePrice, missingPriceReason, PRICE_DATE, PRICES, parseRegionalPrices, priceDateOf, priceOf, REGIONAL_PRICE_REGIONS } from "../../cost/prices";

const DIR = path.resolve(__dirname, "../../cost/list-prices");
/** The Regions the sourced regional prices cover (issue 22). */
const REGIONS = ["eu-central-1", "eu-west-1", "us-west-2", "us-east-2", "ap-southeast-2", "ap-northeast-1"];
/** us-east-1 prices every catalog key: the reference for keys and units. */
const CATALOG = PRICES["us-east-1"];
const file = (region: string) => JSON.parse(fs.readFileSync(path.join(DIR, `${region}.json`), "utf8"));

describe("price catalog", () => {
    it("loads every Region's data file, and only those", () => {
        assert.deepEqual([...REGIONAL_PRICE_REGIONS].sort(), [...REGIONS].sort());
        assert.deepEqual(fs.readdirSync(DIR).filter((f) => f.endsWith(".json")).sort(), REGIONS.map((r) => `${r}.json`).sort());
    });

    for (const region of REGIONS) {
        it(`${region}: every catalog key once, priced with its source and confidence or missing with the reason`, () => {
            const data = parseRegionalPrices(file(region));
            assert.equal(data.region, region);
            const priced = Object.keys(data.prices);
            const missing = Object.keys(data.missing);
            assert.deepEqual([...priced, ...missing].sort(), Object.keys(CATALOG).sort(), "priced and missing keys together are the catalog's, each once");
            assert.ok(priced.length >= 74 && priced.length <= 76, `${priced.length} prices`);
            for (const [key, price] of Object.entries(data.prices)) {
                assert.equal(price.unit, CATALOG[key].unit, `${key}: the catalog's unit`);
                assert.ok(price.source.length > 20, `${key}: a source`);
                // AWS's own data is B; only a third-party source may be C.
                assert.equal(price.confidence, price.source.includes("THIRD-PARTY") ? "C" : price.source.startsWith("AWS Price List") ? "A" : "B", `${key}: confidence`);
                assert.deepEqual(priceOf(region, key), price, `${key}: loaded into the catalog`);
            }
            for (const key of missing) assert.equal(priceOf(region, key), undefined, `${key}: not priced`);
            assert.equal(priceDateOf(region), "2025-12-06");
        });
    }

    it("leaves NAT unpriced in eu-central-1 and us-west-2, with the reason, and MSK provisioned throughput everywhere", () => {
        for (const region of ["eu-central-1", "us-west-2"]) {
            for (const key of ["nat.hour", "nat.gb"]) assert.match(missingPriceReason(region, key) ?? "", /no NAT gateway rates/);
        }
        for (const region of REGIONS) assert.match(missingPriceReason(region, "msk.provisioned-throughput") ?? "", /not labelled as storage throughput/);
        assert.equal(priceOf("eu-west-1", "nat.hour")?.usd, 0.048);
        assert.equal(priceOf("ap-northeast-1", "nat.hour")?.confidence, "C");
    });

    it("prices Frankfurt from AWS's feed, not from us-east-1", () => {
        const shard = priceOf("eu-central-1", "kinesis.shard-hour");
        assert.equal(shard?.usd, 0.018);
        assert.match(shard?.source ?? "", /region 'EU \(Frankfurt\)', rate 'Provisioned shard hour per ShardHour'/);
        assert.notEqual(priceOf("eu-central-1", "redshift.node.ra3.xlplus")?.usd, CATALOG["redshift.node.ra3.xlplus"].usd);
    });

    it("has lifecycle transitions to Glacier Instant Retrieval at 0.02 per 1,000 in every Region", () => {
        for (const region of ["us-east-1", ...REGIONS]) {
            const price = priceOf(region, "s3.transition.glacier-ir");
            assert.deepEqual([price?.usd, price?.unit], [0.02, "1,000 transitions"], region);
        }
        assert.match(CATALOG["s3.transition.glacier-ir"].source, /Lifecycle Transition Requests into Glacier Instant Retrieval/);
    });

    it("lets a price file's negotiated price win over a Region's list price", () => {
        const negotiated = { usd: 0.04, unit: "gateway-hour", confidence: "A" as const, source: "EDP 2026" };
        assert.equal(effectivePrice("ap-northeast-1", "nat.hour", { "nat.hour": negotiated }), negotiated);
        assert.equal(effectivePrice("ap-northeast-1", "nat.hour", undefined)?.usd, 0.062);
        assert.equal(effectivePrice("eu-central-1", "nat.hour", { "nat.hour": negotiated }), negotiated, "and fills a key the Region lacks");
    });

    it("dates us-east-1 by the catalog's own date", () => {
        assert.equal(priceDateOf("us-east-1"), PRICE_DATE);
    });

    it("refuses a data file broken by hand, naming the file and the key", () => {
        const broken = file("eu-central-1");
        broken.prices["kms.key"].confidence = "D";
        assert.throws(() => parseRegionalPrices(broken), /^Error: cost\/list-prices\/eu-central-1\.json: prices\.kms\.key\.confidence: /);
        const noSource = file("us-east-2");
        delete noSource.prices["nat.hour"].source;
        assert.throws(() => parseRegionalPrices(noSource), /us-east-2\.json: prices\.nat\.hour\.source/);
    });
});
