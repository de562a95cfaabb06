/** Module option `flows`: mounts the Flows data endpoint. */
export interface WhatsAppFlowsOptions {
  /** The business private key (PEM, PKCS#1 or PKCS#8, optionally encrypted). Never logged. */
  privateKey: string;
  /** Passphrase of an encrypted `privateKey`. */
  passphrase?: string;
  /** Where the endpoint is mounted. Default `'whatsapp/flows'`. With `forRootAsync`, give `flowsPath` instead. */
  path?: string;
}
