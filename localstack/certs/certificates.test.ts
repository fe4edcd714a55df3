// The local CA and the certificates it issues, read back with the same X.509 library and with
// Node's own parser (what the TLS stack will see).
import test from 'ava';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateCertificateAuthority, caFiles } from './certificateAuthority.ts';
import {
  ensureCertificates,
  issueThingCertificate,
  thingCertificateFiles,
  brokerCertificateFiles,
} from './thingCertificate.ts';

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'certs-test-'));

test('the CA is made once and reused: a second load reads the same certificate and key', async (t) => {
  const dir = await tempDir();
  try {
    const first = await loadOrCreateCertificateAuthority(dir);
    const keyPem = await readFile(caFiles(dir).key, 'utf8');
    const second = await loadOrCreateCertificateAuthority(dir);
    t.is(second.certificatePem, first.certificatePem);
    t.is(await readFile(caFiles(dir).key, 'utf8'), keyPem);
    const ca = new X509Certificate(first.certificatePem);
    t.true(ca.ca);
    t.true(ca.verify(ca.publicKey), 'self-signed');
    const years = (Date.parse(ca.validTo) - Date.parse(ca.validFrom)) / (365.25 * 24 * 3600 * 1000);
    t.true(years > 9.9 && years < 10.1, `valid ${years} years`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a thing certificate has CN = thing name, clientAuth, and verifies against the CA (also after the CA is reloaded)', async (t) => {
  const dir = await tempDir();
  try {
    await loadOrCreateCertificateAuthority(dir);
    const reloaded = await loadOrCreateCertificateAuthority(dir);
    const issued = await issueThingCertificate(reloaded, 'f1:l1:press-01');
    const certificate = new X509Certificate(issued.certificatePem);
    t.is(certificate.subject, 'CN=f1:l1:press-01');
    t.false(certificate.ca);
    t.deepEqual(certificate.keyUsage, ['1.3.6.1.5.5.7.3.2']);
    t.true(certificate.verify(new X509Certificate(reloaded.certificatePem).publicKey));
    t.true(certificate.checkPrivateKey((await import('node:crypto')).createPrivateKey(issued.privateKeyPem)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a thing name AWS IoT would refuse is refused with the rule it broke', async (t) => {
  const dir = await tempDir();
  try {
    const ca = await loadOrCreateCertificateAuthority(dir);
    await t.throwsAsync(issueThingCertificate(ca, 'f1/l1/press-01'), {
      message: /thing name "f1\/l1\/press-01": expected 1-128 characters A-Z a-z 0-9 : _ -/,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('ensureCertificates issues only missing or stale certificates; the broker certificate names localhost and 127.0.0.1', async (t) => {
  const dir = await tempDir();
  try {
    const ca = await loadOrCreateCertificateAuthority(dir);
    t.deepEqual(await ensureCertificates(ca, dir, ['gw-f1', 'factory-recorder'], { broker: true }), [
      'gw-f1',
      'factory-recorder',
    ]);
    const kept = await readFile(thingCertificateFiles(dir, 'gw-f1').certificate, 'utf8');
    t.deepEqual(await ensureCertificates(ca, dir, ['gw-f1', 'factory-recorder'], { broker: true }), []);
    t.is(await readFile(thingCertificateFiles(dir, 'gw-f1').certificate, 'utf8'), kept);
    // A certificate from elsewhere (here: not a certificate at all) is replaced.
    await writeFile(thingCertificateFiles(dir, 'factory-recorder').certificate, 'not a certificate');
    t.deepEqual(await ensureCertificates(ca, dir, ['gw-f1', 'factory-recorder']), ['factory-recorder']);
    const server = new X509Certificate(await readFile(brokerCertificateFiles(dir).certificate, 'utf8'));
    t.is(server.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');
    t.is(server.checkHost('localhost'), 'localhost');
    t.is(server.checkIP('127.0.0.1'), '127.0.0.1');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a directory holding only half a CA is an error that says what to do', async (t) => {
  const dir = await tempDir();
  try {
    await loadOrCreateCertificateAuthority(dir);
    await rm(caFiles(dir).key);
    await t.throwsAsync(loadOrCreateCertificateAuthority(dir), {
      message: /has ca\.pem but no ca\.key; restore the missing file or delete both/,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
