import * as assert from "node:assert/strict";
import { scheduleProblem } from "../../lib/schedule-expression";

describe("EventBridge schedule expressions", () => {
    it("accepts what EventBridge accepts", () => {
        for (const ok of ["rate(1 hour)", "rate(5 minutes)", "rate(2 days)", "cron(15 * * * ? *)", "cron(0 */6 * * ? *)", "cron(0 8 ? * MON-FRI *)", "cron(0 0 L * ? *)", "cron(30 2 ? JAN,JUL 2#1 2027-2030)"]) {
            assert.equal(scheduleProblem(ok), undefined, ok);
        }
    });

    it("refuses what EventBridge refuses, saying which part is wrong", () => {
        const cases: [string, RegExp][] = [
            ["cron(99 99 * * * *)", /minutes "99" is outside 0-59/],
            ["cron(0 25 * * ? *)", /hours "25" is outside 0-23/],
            ["cron(0 0 * * * *)", /one of day-of-month and day-of-week must be \?/],
            ["cron(0 0 ? * ? *)", /one of day-of-month and day-of-week must be \?/],
            ["cron(0 0 * * ?)", /cron needs 6 fields .* got 5/],
            ["cron(0 0 ? FOO * *)", /month "FOO" is outside 1-12 or JAN-DEC/],
            ["rate(1 hours)", /rate\(1 hours\) must be rate\(1 hour\)/],
            ["rate(2 hour)", /rate\(2 hour\) must be rate\(2 hours\)/],
            ["rate(0 minutes)", /at least 1/],
            ["rate(3 weeks)", /not minute\(s\), hour\(s\) or day\(s\)/],
            ["every hour", /expected rate\(<value> <unit>\) or cron/],
        ];
        for (const [expression, message] of cases) assert.match(scheduleProblem(expression) ?? "(accepted)", message, expression);
    });
});
