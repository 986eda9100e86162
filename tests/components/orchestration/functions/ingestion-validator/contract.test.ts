import * as assert from "node:assert/strict";
import fc from "fast-check";
import { hiveTimestamp, validateMessage } from "../../../../../components/orchestration/functions/ingestion-validator/contract";
import { ORDERS } from "./orders-contract";

const contracts = { orders: ORDERS };
const message = (record: Record<string, unknown>, domain = "orders") => JSON.stringify({ domain, record });
const good = { order_id: "o-1", quantity: 2, amount: "19.90", gift: false, ordered_at: "2026-11-25T10:15:30.5+01:00", ship_on: "2026-11-27", note: "dropped" };

describe("ingestion validator: the column contract", () => {
    it("accepts a valid record, keeps declared columns only and normalises them for the Parquet conversion", () => {
        const verdict = validateMessage(message(good), contracts);
        assert.deepEqual(verdict, {
            ok: true,
            domain: "orders",
            stream: "orders-stream",
            partitionKey: "o-1",
            data: { order_id: "o-1", quantity: 2, amount: 19.9, gift: false, ordered_at: "2026-11-25 09:15:30.500", ship_on: "2026-11-27" },
        });
    });

    it("reads epoch milliseconds and digit strings where the types allow them", () => {
        const verdict = validateMessage(message({ ...good, quantity: "3", ordered_at: Date.UTC(2026, 0, 2, 3, 4, 5) }), contracts);
        assert.ok(verdict.ok);
        assert.equal(verdict.data.quantity, 3);
        assert.equal(verdict.data.ordered_at, "2026-01-02 03:04:05.000");
    });

    it("refuses records that break the contract, naming every column and what it expects", () => {
        const verdict = validateMessage(message({ order_id: 7, quantity: 0, amount: "1.234", ordered_at: "yesterday", gift: "yes" }), contracts);
        assert.equal(verdict.ok, false);
        assert.equal(
            !verdict.ok && verdict.reason,
            'order_id: got 7; expected a string; quantity: got 0; expected a value from 1 to 1000; amount: got "1.234"; expected a number with at most 10 integer and 2 fraction digits; gift: got "yes"; expected true or false; ordered_at: got "yesterday"; expected an ISO 8601 time with a zone, or epoch milliseconds',
        );
        assert.match((validateMessage(message({ ...good, order_id: null }), contracts) as { reason: string }).reason, /^order_id: missing; the column is required$/);
    });

    it("refuses what is not a message of a served domain", () => {
        assert.deepEqual(validateMessage("not json", contracts), { ok: false, reason: "the message is not JSON" });
        assert.deepEqual(validateMessage(JSON.stringify({ record: good }), contracts), { ok: false, reason: 'the message has no "domain"' });
        assert.deepEqual(validateMessage(message(good, "clicks"), contracts), { ok: false, domain: "clicks", reason: "domain clicks is not served by this queue (expected one of: orders)" });
        assert.deepEqual(validateMessage(message(good, "__proto__"), contracts), { ok: false, domain: "__proto__", reason: "domain __proto__ is not served by this queue (expected one of: orders)" });
        assert.deepEqual(validateMessage(JSON.stringify({ domain: "orders", record: [1] }), contracts), { ok: false, domain: "orders", reason: 'the message has no "record" object' });
    });

    it("writes every instant as the UTC Hive timestamp it is", () => {
        fc.assert(
            fc.property(fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2999-12-31T23:59:59Z"), noInvalidDate: true }), (date) => {
                const text = hiveTimestamp(date);
                assert.match(text, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
                assert.equal(new Date(`${text.replace(" ", "T")}Z`).getTime(), date.getTime());
            }),
        );
    });
});
