export * from "./linkable";
export * from "./rules";
export * from "./service-secret";
