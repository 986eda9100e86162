import * as assert from "node:assert/strict";
import { reportingComponents } from "../../cost/components";

const platform = { name: "lakehouse-prod", type: "lakehouse:platform:LakehousePlatform" };
const keys = { name: "lakehouse-prod", type: "lakehouse:kms:PlatformKeys" };
const lake = { name: "lakehouse-prod-lake", type: "lakehouse:lake:DataLake" };
const rawBucket = { name: "lakehouse-prod-lake-raw", type: "lakehouse:lake:LakeBucket" };

describe("reportingComponents", () => {
    it("reports a platform wrapped in one component by its areas, not by the wrapper", () => {
        assert.deepEqual(reportingComponents([[platform, keys], [platform, lake, rawBucket], [platform, lake]]), [
            "lakehouse-prod (lakehouse:kms:PlatformKeys)",
            "lakehouse-prod-lake (lakehouse:lake:DataLake)",
            "lakehouse-prod-lake (lakehouse:lake:DataLake)",
        ]);
    });

    it("reports a resource directly in the shared wrapper under the wrapper", () => {
        assert.deepEqual(reportingComponents([[platform, keys], [platform]]), [
            "lakehouse-prod (lakehouse:kms:PlatformKeys)",
            "lakehouse-prod (lakehouse:platform:LakehousePlatform)",
        ]);
    });

    it("reports a program without a wrapper by top-level component, and top-level resources as the stack", () => {
        assert.deepEqual(reportingComponents([[keys], [lake, rawBucket], []]), [
            "lakehouse-prod (lakehouse:kms:PlatformKeys)",
            "lakehouse-prod-lake (lakehouse:lake:DataLake)",
            "(stack)",
        ]);
    });

    it("reports everything under one component by the innermost component they share", () => {
        assert.deepEqual(reportingComponents([[platform, lake], [platform, lake]]), ["lakehouse-prod-lake (lakehouse:lake:DataLake)", "lakehouse-prod-lake (lakehouse:lake:DataLake)"]);
    });
});
