// @peculiar/x509, ready to use: it needs a Reflect polyfill loaded before it (its README) and a
// WebCrypto provider (Node's own). Import x509 from here, never from the package directly.
// reflect-metadata comes with node-opcua today; it belongs in package.json's dependencies.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

export { x509 };
