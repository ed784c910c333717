/**
 * Something a {@link ServiceSecret} can link to: a module that exports
 * connection details as named fields.
 */
export interface ILinkable {
  /**
   * The module's name. Default secret keys are `<linkName>_<field>`, so the
   * name must suit an environment variable.
   */
  readonly linkName: string;

  /** The module's type, e.g. `redis`, for messages. */
  readonly linkType: string;

  /**
   * Field name to value (usually a Terraform reference), in the order the
   * keys are written. Each call returns a new object.
   */
  linkFields(): Record<string, string>;

  /**
   * Fields a link may add to {@link linkFields} by naming them, field name
   * to value, in the order the keys are written. Each call returns a new
   * object.
   *
   * @default - none: a link exports the default fields only
   */
  linkExtraFields?(): Record<string, string>;
}
