export * from "./glue-catalog";
