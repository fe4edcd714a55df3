// Certificates the local CA issues: one per thing (CN = thing name, clientAuth), as AWS IoT
// registers one certificate per thing, and the broker's own server certificate (CN = localhost).
import { access, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { x509 } from './x509.ts';
import { isValidThingName } from '../../domain/policy/iotPolicy.ts';
import {
  BACKDATE_MS,
  SIGNING_ALGORITHM,
  generateKeys,
  privateKeyPem,
  serialNumber,
  type CertificateAuthority,
} from './certificateAuthority.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const LEAF_VALIDITY_DAYS = 825;

export type IssuedCertificate = { readonly certificatePem: string; readonly privateKeyPem: string };

type LeafRequest = {
  readonly commonName: string;
  readonly usage: x509.ExtendedKeyUsage;
  readonly subjectAltNames?: readonly x509.JsonGeneralName[];
};

const issue = async (ca: CertificateAuthority, request: LeafRequest, now: Date): Promise<IssuedCertificate> => {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${request.commonName}`,
    issuer: ca.certificate.subject,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + LEAF_VALIDITY_DAYS * DAY_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension([request.usage], false),
      ...(request.subjectAltNames === undefined
        ? []
        : [new x509.SubjectAlternativeNameExtension([...request.subjectAltNames], false)]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate, false),
    ],
  });
  return { certificatePem: certificate.toString('pem'), privateKeyPem: await privateKeyPem(keys.privateKey) };
};

/** A client certificate for a thing: CN = thing name, the MQTT client id it must connect with. */
export const issueThingCertificate = async (
  ca: CertificateAuthority,
  thingName: string,
  now: Date = new Date(),
): Promise<IssuedCertificate> => {
  if (!isValidThingName(thingName)) {
    throw new Error(
      `thing name ${JSON.stringify(thingName)}: expected 1-128 characters A-Z a-z 0-9 : _ - (an AWS IoT thing name); a machine is factoryId:lineId:machineId`,
    );
  }
  return issue(ca, { commonName: thingName, usage: x509.ExtendedKeyUsage.clientAuth }, now);
};

/** The broker's server certificate: valid for `localhost` and 127.0.0.1, the names clients dial. */
export const issueBrokerCertificate = async (
  ca: CertificateAuthority,
  now: Date = new Date(),
): Promise<IssuedCertificate> =>
  issue(
    ca,
    {
      commonName: 'localhost',
      usage: x509.ExtendedKeyUsage.serverAuth,
      subjectAltNames: [
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ],
    },
    now,
  );

export type CertificateFiles = { readonly certificate: string; readonly key: string };

export const thingCertificateFiles = (dir: string, thingName: string): CertificateFiles => ({
  certificate: join(dir, `${thingName}.pem`),
  key: join(dir, `${thingName}.key`),
});

// A `.` never appears in a thing name, so this pair cannot be overwritten by a thing's certificate.
export const brokerCertificateFiles = (dir: string): CertificateFiles => ({
  certificate: join(dir, 'broker.server.pem'),
  key: join(dir, 'broker.server.key'),
});

/**
 * Whether `file` holds a certificate this CA signed that is valid at `now`. A certificate signed
 * by an earlier CA (the directory's CA was remade) is reissued rather than left to fail the handshake.
 */
export const isCurrentCertificate = async (ca: CertificateAuthority, file: string, now: Date): Promise<boolean> => {
  try {
    const certificate = new x509.X509Certificate(await readFile(file, 'utf8'));
    return (
      certificate.issuer === ca.certificate.subject &&
      (await certificate.verify({ publicKey: ca.certificate.publicKey, date: now }))
    );
  } catch {
    return false;
  }
};

const hasFile = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

export const writeCertificate = async (files: CertificateFiles, issued: IssuedCertificate): Promise<void> => {
  await writeFile(files.key, issued.privateKeyPem, { mode: 0o600 });
  await writeFile(files.certificate, issued.certificatePem);
};

/**
 * Certificates for these things (and the broker, when asked) in `dir`, issuing only the missing or
 * stale ones. Returns the thing names issued now.
 */
export const ensureCertificates = async (
  ca: CertificateAuthority,
  dir: string,
  thingNames: readonly string[],
  options: { readonly broker?: boolean; readonly now?: Date } = {},
): Promise<readonly string[]> => {
  const now = options.now ?? new Date();
  await mkdir(dir, { recursive: true });
  if (options.broker === true) {
    const files = brokerCertificateFiles(dir);
    if (!((await isCurrentCertificate(ca, files.certificate, now)) && (await hasFile(files.key))))
      await writeCertificate(files, await issueBrokerCertificate(ca, now));
  }
  const issued: string[] = [];
  for (const name of new Set(thingNames)) {
    const files = thingCertificateFiles(dir, name);
    if ((await isCurrentCertificate(ca, files.certificate, now)) && (await hasFile(files.key))) continue;
    await writeCertificate(files, await issueThingCertificate(ca, name, now));
    issued.push(name);
  }
  return issued;
};
