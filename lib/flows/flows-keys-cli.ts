import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const FLOWS_KEYS_USAGE = `Usage: npx nestjs-whatsapp-cloud flows-keys [--out <dir>] [--passphrase-env <VAR>]

Generates the 2048-bit RSA key pair of the WhatsApp Flows data endpoint:
  <dir>/flows-private.pem  (mode 600; AES-256 encrypted when --passphrase-env names a set variable)
  <dir>/flows-public.pem   (upload it to Meta, see below)
Existing files are never overwritten. Default <dir>: the current directory.`;

export interface FlowsKeysResult {
  privateKeyPath: string;
  publicKeyPath: string;
  encrypted: boolean;
}

/** Parses the arguments and writes the pair; throws an Error with a message for the user. */
export function generateFlowsKeys(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): FlowsKeysResult {
  let out = '.';
  let passphraseVar: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[i + 1];
    if (
      (arg === '--out' || arg === '--passphrase-env') &&
      (value === undefined || value.startsWith('--'))
    ) {
      throw new Error(`${arg} needs a value`);
    }
    if (arg === '--out') out = args[++i];
    else if (arg === '--passphrase-env') passphraseVar = args[++i];
    else throw new Error(`Unknown argument: ${arg}`);
  }
  // The passphrase is read from the environment, never from argv (visible in `ps`).
  const passphrase = passphraseVar === undefined ? undefined : env[passphraseVar];
  if (passphraseVar !== undefined && (passphrase === undefined || passphrase === '')) {
    throw new Error(`The environment variable ${passphraseVar} is not set`);
  }
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding:
      passphrase === undefined
        ? { type: 'pkcs8', format: 'pem' }
        : { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase },
  });
  const dir = resolve(out);
  const privateKeyPath = join(dir, 'flows-private.pem');
  const publicKeyPath = join(dir, 'flows-public.pem');
  writeFileSync(privateKeyPath, privateKey, { mode: 0o600, flag: 'wx' });
  writeFileSync(publicKeyPath, publicKey, { mode: 0o644, flag: 'wx' });
  return { privateKeyPath, publicKeyPath, encrypted: passphrase !== undefined };
}

/** What to do next: where the keys go and how the public one reaches Meta. */
export function flowsKeysInstructions(result: FlowsKeysResult): string {
  return [
    `Wrote ${result.privateKeyPath} (keep it secret${result.encrypted ? ', encrypted' : ''}) and ${result.publicKeyPath}.`,
    '',
    'Module option:',
    `  flows: { privateKey: process.env.WHATSAPP_FLOWS_PRIVATE_KEY${result.encrypted ? ', passphrase: process.env.WHATSAPP_FLOWS_PASSPHRASE' : ''} }`,
    '',
    'Upload the public key for each sending number (once; again after a rotation):',
    "  await whatsapp.flows.setEncryptionPublicKey(readFileSync('flows-public.pem', 'utf8'), { phoneNumberId });",
    '  await whatsapp.flows.getEncryptionPublicKey({ phoneNumberId }); // business_public_key_signature_status: VALID',
    '',
  ].join('\n');
}

/** `npx nestjs-whatsapp-cloud flows-keys ...`. */
export function runFlowsKeysCli(args: readonly string[]): void {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${FLOWS_KEYS_USAGE}\n`);
    return;
  }
  try {
    process.stdout.write(flowsKeysInstructions(generateFlowsKeys(args, process.env)));
  } catch (error) {
    process.stderr.write(
      `${error instanceof Error ? error.message : String(error)}\n\n${FLOWS_KEYS_USAGE}\n`,
    );
    process.exitCode = 2;
  }
}
