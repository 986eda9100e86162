import type { DomainContract } from "../../../../../components/orchestration/functions/ingestion-validator/contract";

/** The contract the validator tests use: every column type, ranges, a required key. */
export const ORDERS: DomainContract = {
    stream: "orders-stream",
    primaryKey: ["order_id"],
    columns: [
        { name: "order_id", type: "string", nullable: false },
        { name: "quantity", type: "int", nullable: true, min: 1, max: 1000 },
        { name: "amount", type: "decimal(12,2)", nullable: false, min: 0 },
        { name: "gift", type: "boolean", nullable: true },
        { name: "ordered_at", type: "timestamp", nullable: false },
        { name: "ship_on", type: "date", nullable: true },
    ],
};
