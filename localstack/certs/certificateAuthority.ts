// The local certificate authority: the stand-in for the CA that AWS IoT trusts. Made once per
// certificates directory (`ca.pem`, `ca.key`) and reused, so certificates issued on different days
// keep working together. EC P-256 keys: as AWS IoT accepts them, and far faster to make than RSA.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { crypto, x509 } from './x509.ts';

export const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

const DAY_MS = 24 * 60 * 60 * 1000;
const CA_VALIDITY_DAYS = 3650;
// Backdated so that a clock a little behind on a device or in a VM still accepts a fresh certificate.
export const BACKDATE_MS = 60 * 60 * 1000;

export type CertificateAuthority = {
  readonly certificate: x509.X509Certificate;
  readonly privateKey: CryptoKey;
  readonly certificatePem: string;
};

export type CaFiles = { readonly certificate: string; readonly key: string };
export const caFiles = (dir: string): CaFiles => ({ certificate: join(dir, 'ca.pem'), key: join(dir, 'ca.key') });

/** A positive 128-bit serial number, as RFC 5280 §4.1.2.2 asks (unique per CA, at most 20 octets). */
export const serialNumber = (): string => {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
};

export const privateKeyPem = async (key: CryptoKey): Promise<string> =>
  x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');

export const importPrivateKey = async (pem: string, file: string): Promise<CryptoKey> => {
  try {
    return await crypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(pem), KEY_ALGORITHM, true, ['sign']);
  } catch (error) {
    throw new Error(
      `${file}: not an EC P-256 private key in PKCS#8 PEM (${error instanceof Error ? error.message : String(error)}); delete the certificates directory's ca.pem and ca.key to make a new CA`,
    );
  }
};

export const generateKeys = async (): Promise<CryptoKeyPair> =>
  crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);

const exists = async (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

export const createCertificateAuthority = async (
  now: Date,
): Promise<CertificateAuthority & { readonly privateKeyPem: string }> => {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: 'CN=smart-factory local CA, O=smart-factory',
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certificate,
    privateKey: keys.privateKey,
    certificatePem: certificate.toString('pem'),
    privateKeyPem: await privateKeyPem(keys.privateKey),
  };
};

/** The CA of `dir`: read from `ca.pem` and `ca.key` when both exist, else made and written there. */
export const loadOrCreateCertificateAuthority = async (
  dir: string,
  now: Date = new Date(),
): Promise<CertificateAuthority> => {
  const files = caFiles(dir);
  const [hasCertificate, hasKey] = await Promise.all([exists(files.certificate), exists(files.key)]);
  if (hasCertificate && hasKey) {
    const certificatePem = await readFile(files.certificate, 'utf8');
    let certificate: x509.X509Certificate;
    try {
      certificate = new x509.X509Certificate(certificatePem);
    } catch (error) {
      throw new Error(
        `${files.certificate}: not a PEM certificate (${error instanceof Error ? error.message : String(error)}); delete ca.pem and ca.key to make a new CA`,
      );
    }
    return {
      certificate,
      certificatePem,
      privateKey: await importPrivateKey(await readFile(files.key, 'utf8'), files.key),
    };
  }
  if (hasCertificate !== hasKey) {
    throw new Error(
      `${dir}: has ${hasCertificate ? 'ca.pem but no ca.key' : 'ca.key but no ca.pem'}; restore the missing file or delete both to make a new CA (certificates it signed will stop working)`,
    );
  }
  await mkdir(dir, { recursive: true });
  const made = await createCertificateAuthority(now);
  await writeFile(files.key, made.privateKeyPem, { mode: 0o600 });
  await writeFile(files.certificate, made.certificatePem);
  return made;
};
