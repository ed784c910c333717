export * from "./env-init";
export * from "./env-init-lookup";
export * from "./key-policy";
export * from "./names";
export * from "./principals";
export * from "./vpc-lookup";
