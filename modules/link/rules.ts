import { TextRule } from "../limits";

/**
 * Kubernetes names that must be DNS labels (RFC 1123), such as namespaces.
 */
export const DNS_LABEL: TextRule = Object.freeze({
  pattern: /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/,
  description:
    "a DNS label: lowercase letters, digits and dashes, starting and ending with a letter or digit",
  minLength: 1,
  maxLength: 63,
});

/**
 * Kubernetes names that must be DNS subdomains (RFC 1123), such as secrets:
 * DNS labels joined by dots.
 */
export const DNS_SUBDOMAIN: TextRule = Object.freeze({
  pattern:
    /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/,
  description:
    "a DNS subdomain: lowercase letters, digits, dashes and dots, each dot-separated part starting and ending with a letter or digit",
  minLength: 1,
  maxLength: 253,
});

/** Keys of a Kubernetes Secret's `data`. */
export const SECRET_KEY: TextRule = Object.freeze({
  pattern: /^[-._a-zA-Z0-9]+$/,
  description: "letters, digits, dashes, dots and underscores",
  minLength: 1,
  maxLength: 253,
});

/**
 * Environment variable names that work on any cluster version and in any
 * shell. Kubernetes silently skips a secret key that is not a valid name
 * when it loads the secret into a container's environment, and the pod
 * starts without the variable.
 */
export const ENV_VAR_NAME: TextRule = Object.freeze({
  pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
  description:
    "an environment variable name: letters, digits and underscores, not starting with a digit",
  minLength: 1,
  maxLength: SECRET_KEY.maxLength,
});
