// EnvInit's defaults as plain data, apart from the construct in
// env-init.ts, so that the manifest schema can read them without loading
// cdktf.

/** The defaults {@link EnvInit} applies to props left out. */
export const ENV_INIT_DEFAULTS = Object.freeze({
  allowDestroy: false,
  deletionWindowInDays: 30,
  tags: Object.freeze({}) as Readonly<Record<string, string>>,
});
