export * from "./glue-catalog";
export * from "./table-optimizers";
