/**
 * The base class of every stack strata synthesizes: the env stacks, the
 * service stacks and the state-bootstrap stacks.
 */
import { TerraformStack } from "cdktf";

export abstract class StrataStack extends TerraformStack {
  /**
   * Only makes sure the stack has a backend, as cdktf's own version does
   * first (every strata stack sets one, so this adds nothing today).
   *
   * cdktf 0.21's version then resolves every element of the stack once, in
   * "preparing" mode, for a single purpose: to find tokens that point at
   * another stack's resources and turn each into an output of that stack
   * plus a remote-state lookup in this one. Nothing else in cdktf reads that
   * mode. Strata's stacks never refer to each other (a service stack finds
   * the env's resources by name, through data sources), so that resolve finds
   * nothing, yet it took an eighth of the CPU of a 400-service synth.
   *
   * Should a cross-stack reference slip in anyway, it renders as a plain
   * reference to a resource the stack does not have, which `terraform
   * validate` rejects. test/synth-equivalence.test.ts checks that the output
   * equals what cdktf's full preparation gives.
   */
  override prepareStack(): void {
    this.ensureBackendExists();
  }
}
