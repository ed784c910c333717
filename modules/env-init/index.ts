export * from "./env-init";
export * from "./env-init-lookup";
export * from "./key-policy";
export * from "./names";
