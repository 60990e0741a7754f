/** A port of a Kubernetes Service, besides a WebApp's main `http` port. */
export interface ServicePort {
  /**
   * Port name: 1-15 lowercase letters, digits and single dashes, with at
   * least one letter (it also names the container port of a TCP port).
   */
  readonly name: string;
  /** Port the Service listens on (1-65535). */
  readonly port: number;
  /**
   * Port of the container the Service forwards to (1-65535).
   * @default - `port`
   */
  readonly targetPort?: number;
  /**
   * `TCP` or `UDP`.
   * @default 'TCP'
   */
  readonly protocol?: string;
}
