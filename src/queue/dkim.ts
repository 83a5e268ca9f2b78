/**
 * DKIM signing of outgoing mail (RFC 6376) with one key per local domain.
 *
 * Keys: `<dataDir>/dkim/<domain>.<selector>.key`, RSA 2048 (RFC 8301 §3.2: at least 1024, 2048
 * recommended; Ed25519 of RFC 8463 is not yet verified by enough receivers to be the only key),
 * PKCS#8 PEM, mode 0600, made once by `ensureDkimKeys` (at init, by `congthu dkim show`, or when
 * the queue starts) and never overwritten: a second process racing to create the same key loses
 * to the first (the key is written to a temporary file and hard-linked into place).
 * The record to publish is `<selector>._domainkey.<domain> TXT "v=DKIM1; k=rsa; p=<SPKI base64>"`.
 *
 * Signing (mailauth `dkimSign`): relaxed/relaxed, rsa-sha256, d= the From domain when it is ours
 * (DMARC alignment, RFC 7489 §3.1.1), otherwise the envelope sender's domain when ours, otherwise
 * the primary domain. Content must be normalised first (normalise.ts), so the signature covers the
 * bytes that go on the wire.
 */
import { generateKeyPair, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import fs from 'node:fs/promises';
import path from 'node:path';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';

export interface DkimKey {
  domain: string;
  selector: string;
  file: string;
  privateKeyPem: string;
  /** SubjectPublicKeyInfo, DER, base64: the p= tag. */
  publicKeyBase64: string;
}

export function dkimDir(dataDir: string): string {
  return path.join(dataDir, 'dkim');
}

export function dkimKeyFile(dataDir: string, domain: string, selector: string): string {
  if (!/^[a-z0-9.-]+$/.test(domain) || !/^[a-z0-9-]+$/.test(selector))
    throw new Error(`invalid DKIM domain or selector: ${domain} ${selector}`);
  return path.join(dkimDir(dataDir), `${domain}.${selector}.key`);
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Create the missing keys; returns the domains that got a new one. */
export async function ensureDkimKeys(
  dataDir: string,
  domains: string[],
  selector: string,
): Promise<string[]> {
  const dir = dkimDir(dataDir);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const created: string[] = [];
  for (const domain of domains) {
    const file = dkimKeyFile(dataDir, domain, selector);
    try {
      await fs.access(file);
      continue;
    } catch {
      /* missing: make it */
    }
    const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
    const tmp = path.join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
    const fh = await fs.open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(pem);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await fs.link(tmp, file);
      created.push(domain);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      await fs.rm(tmp, { force: true });
    }
    await fsyncDir(dir);
  }
  return created;
}

export async function loadDkimKey(
  dataDir: string,
  domain: string,
  selector: string,
): Promise<DkimKey | null> {
  const file = dkimKeyFile(dataDir, domain, selector);
  let pem: string;
  try {
    pem = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const pub = createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
  return { domain, selector, file, privateKeyPem: pem, publicKeyBase64: pub.toString('base64') };
}

export interface DkimRecord {
  name: string;
  value: string;
  /** A zone-file line, the value split into strings of at most 255 characters (RFC 7208 §3.3 style). */
  zoneLine: string;
}

export function dkimRecord(key: DkimKey): DkimRecord {
  const name = `${key.selector}._domainkey.${key.domain}`;
  const value = `v=DKIM1; k=rsa; p=${key.publicKeyBase64}`;
  const chunks: string[] = [];
  for (let i = 0; i < value.length; i += 255) chunks.push(`"${value.slice(i, i + 255)}"`);
  return { name, value, zoneLine: `${name}. IN TXT ( ${chunks.join(' ')} )` };
}

export class DkimSigner {
  private readonly keys: Map<string, DkimKey>;
  constructor(
    keys: DkimKey[],
    private readonly primaryDomain: string,
  ) {
    this.keys = new Map(keys.map((k) => [k.domain, k]));
  }

  static async load(dataDir: string, domains: string[], selector: string): Promise<DkimSigner> {
    const keys: DkimKey[] = [];
    for (const d of domains) {
      const k = await loadDkimKey(dataDir, d, selector);
      if (k) keys.push(k);
    }
    return new DkimSigner(keys, domains[0] ?? '');
  }

  /** The domain whose key signs a message with these From and envelope-sender domains. */
  signingDomain(fromDomain: string | null, mailFromDomain: string | null): string | null {
    for (const d of [fromDomain, mailFromDomain, this.primaryDomain])
      if (d && this.keys.has(d.toLowerCase())) return d.toLowerCase();
    return null;
  }

  /** The message with a DKIM-Signature header in front; unchanged when no key applies. */
  async sign(
    content: Buffer,
    opts: { fromDomain: string | null; mailFromDomain: string | null; now: Date },
  ): Promise<Buffer> {
    const domain = this.signingDomain(opts.fromDomain, opts.mailFromDomain);
    if (!domain) return content;
    const key = this.keys.get(domain)!;
    const r = await dkimSign(content, {
      signingDomain: domain,
      selector: key.selector,
      privateKey: key.privateKeyPem,
      algorithm: 'rsa-sha256',
      canonicalization: 'relaxed/relaxed',
      signTime: opts.now,
      // mailauth signs only what is listed here (the top-level fields describe the default).
      signatureData: [{ signingDomain: domain, selector: key.selector, privateKey: key.privateKeyPem }],
    });
    if (r.errors.length > 0 || !/^DKIM-Signature:/i.test(r.signatures))
      throw r.errors[0] ?? new Error('DKIM signing produced no signature');
    const sig = r.signatures.endsWith('\r\n') ? r.signatures : `${r.signatures}\r\n`;
    return Buffer.concat([Buffer.from(sig), content]);
  }
}
