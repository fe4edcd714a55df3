// The local IoT Core: an aedes MQTT broker behind mutual TLS that admits a connection only as a
// registered thing and checks every publish, subscribe and delivery against the one IoT policy
// (domain/policy/iotPolicy.ts). Transport here, policy there: the hooks only ask the policy's authorizer.
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import {
  authorizerFor,
  type Authorizer,
  type Decision,
  type PolicyAction,
  type Principal,
} from '../../domain/policy/iotPolicy.ts';
import { loadOrCreateCertificateAuthority, caFiles } from '../certs/certificateAuthority.ts';
import { brokerCertificateFiles, ensureCertificates } from '../certs/thingCertificate.ts';
import type { ThingRegistry } from './thingRegistry.ts';

export type BrokerLogEntry = {
  readonly level: 'info' | 'warn';
  readonly event: 'listening' | 'connected' | 'disconnected' | 'refused' | 'denied';
  readonly msg: string;
  readonly clientId?: string;
  readonly thingName?: string;
  readonly action?: PolicyAction;
  readonly resource?: string;
  readonly reason?: string;
};
export type BrokerLog = (entry: BrokerLogEntry) => void;

export type LocalBrokerOptions = {
  /** Holds ca.pem and ca.key (made if missing); the broker's server certificate is issued there if missing. */
  readonly certsDir: string;
  /** 0 picks a free port. */
  readonly tlsPort: number;
  /**
   * A plain MQTT listener on 127.0.0.1, for local tests only: without a certificate the client id
   * alone names the thing, so any local process may claim any registered thing.
   */
  readonly plainPort?: number;
  readonly things: ThingRegistry;
  readonly log?: BrokerLog;
};

export type LocalBroker = {
  readonly urls: readonly string[];
  readonly tlsPort: number;
  readonly plainPort: number | undefined;
  close(): Promise<void>;
};

// How each connection proved who it is: the CN of its verified certificate, or nothing (plain listener).
type Credential = { readonly kind: 'tls'; readonly commonName: string | undefined } | { readonly kind: 'plain' };

const NOT_AUTHORIZED = 5;

const refusal = (message: string): AuthenticateError =>
  Object.assign(new Error(message), { returnCode: NOT_AUTHORIZED });

const commonNameOf = (socket: TLSSocket): string | undefined => {
  const cn: unknown = socket.getPeerCertificate().subject?.CN;
  return typeof cn === 'string' ? cn : undefined;
};

// OpenSSL's words for a failed handshake, turned into what the person at the device should do.
const handshakeRefusal = (error: Error, socket: TLSSocket, certsDir: string): string => {
  const verifyError: unknown = (socket as TLSSocket & { authorizationError?: unknown }).authorizationError;
  if (verifyError !== undefined && verifyError !== null) {
    return `the client certificate is not trusted (${String(verifyError)}): it must be signed by ${certsDir}/ca.pem; issue one with \`factory certs --out ${certsDir} --thing <name>\``;
  }
  if (/peer did not return a certificate|certificate required/i.test(error.message)) {
    return "the client presented no certificate: connect with the thing's certificate and key (mutual TLS)";
  }
  return error.message.trim();
};

const listen = (server: Server, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });

const closeServer = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

export const startLocalBroker = async (options: LocalBrokerOptions): Promise<LocalBroker> => {
  const log: BrokerLog = options.log ?? (() => undefined);
  const ca = await loadOrCreateCertificateAuthority(options.certsDir);
  await ensureCertificates(ca, options.certsDir, [], { broker: true });
  const serverFiles = brokerCertificateFiles(options.certsDir);
  const [caPem, certPem, keyPem] = await Promise.all([
    readFile(caFiles(options.certsDir).certificate, 'utf8'),
    readFile(serverFiles.certificate, 'utf8'),
    readFile(serverFiles.key, 'utf8'),
  ]);

  const credentials = new WeakMap<object, Credential>();
  const sockets = new Set<Socket>();
  // The thing each connection was admitted as: a Greengrass core's nucleus connects as `{thing}#2`…
  // too, so the client id alone does not name it.
  const admitted = new WeakMap<Client, Principal>();
  const principalOf = (client: Client | null): Principal | undefined =>
    client === null ? undefined : admitted.get(client);
  // Every publish and delivery is authorized: each thing's grants are compiled once, at first use.
  const authorizers = new Map<string, Authorizer>();
  const authorizeAs = (principal: Principal | undefined, action: PolicyAction, resource: string): Decision => {
    if (principal === undefined) return { allowed: false, reason: 'not a registered thing' };
    let authorizer = authorizers.get(principal.thingName);
    if (authorizer === undefined) authorizers.set(principal.thingName, (authorizer = authorizerFor(principal)));
    return authorizer(action, resource);
  };

  const deny = (
    client: Client,
    principal: Principal | undefined,
    action: PolicyAction,
    resource: string,
    reason: string,
  ): Error => {
    log({
      level: 'warn',
      event: 'denied',
      msg: `denied ${action} ${resource} to ${client.id}: ${reason}`,
      clientId: client.id,
      thingName: principal?.thingName,
      action,
      resource,
      reason,
    });
    return new Error(reason);
  };

  const broker = await Aedes.createBroker({
    authenticate: (client, _username, _password, done) => {
      const credential = credentials.get(client.conn);
      const clientId = client.id;
      const refuse = (reason: string): void => {
        log({ level: 'warn', event: 'refused', msg: `refused connection of ${clientId}: ${reason}`, clientId, reason });
        done(refusal(reason), false);
      };
      if (credential === undefined) return refuse('the connection came from no known listener');
      // Over TLS the certificate names the thing, as IoT Core finds the thing a certificate is attached
      // to; the client id is then whatever the thing's policy lets it connect as (for a machine its
      // thing name exactly, for a Greengrass core also `{thing}#n`). The plain listener has only the id.
      const thingName = credential.kind === 'tls' ? (credential.commonName ?? '') : clientId;
      const principal = options.things.get(thingName);
      if (principal === undefined)
        return refuse(
          `thing ${JSON.stringify(thingName)} is not registered; add it to the site configuration (machines) or the broker's --gateway list`,
        );
      const decision = authorizeAs(principal, 'connect', clientId);
      if (!decision.allowed) {
        return refuse(
          clientId === thingName
            ? decision.reason
            : `client id ${JSON.stringify(clientId)} differs from the certificate's thing name ${JSON.stringify(thingName)} and its policy does not allow it (${decision.reason}); connect with the thing name as client id`,
        );
      }
      admitted.set(client, principal);
      log({
        level: 'info',
        event: 'connected',
        msg: `${clientId} connected as ${thingName} (${principal.attributes.role}, ${credential.kind})`,
        clientId,
        thingName,
      });
      done(null, true);
    },
    authorizePublish: (client, packet, done) => {
      // A null client is a will left by a client that is gone; its topic was the client's own to set.
      if (client === null) return done(new Error('a will without its client is not delivered'));
      const principal = principalOf(client);
      const decision = authorizeAs(principal, 'publish', packet.topic);
      done(decision.allowed ? null : deny(client, principal, 'publish', packet.topic, decision.reason));
    },
    authorizeSubscribe: (client, subscription, done) => {
      const principal = principalOf(client);
      const decision = authorizeAs(principal, 'subscribe', subscription.topic);
      // An error (rather than a refused grant) makes aedes end the connection, as IoT Core does.
      if (decision.allowed) done(null, subscription);
      else done(deny(client, principal, 'subscribe', subscription.topic, decision.reason));
    },
    authorizeForward: (client, packet) => {
      const principal = principalOf(client);
      // iot:Receive: a message the thing may not receive is not delivered to it, the connection stays.
      return authorizeAs(principal, 'receive', packet.topic).allowed ? packet : null;
    },
  });
  broker.on('clientDisconnect', (client) =>
    log({ level: 'info', event: 'disconnected', msg: `${client.id} disconnected`, clientId: client.id }),
  );

  const track = (socket: Socket): void => {
    // MQTT packets are small and most wait for an answer (CONNACK, PUBACK): with Nagle's algorithm
    // one is held until the peer's delayed ACK, up to 40 ms on Linux, and a replay stalls at each.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const tlsServer = createTlsServer(
    { requestCert: true, rejectUnauthorized: true, ca: caPem, cert: certPem, key: keyPem },
    (socket) => {
      credentials.set(socket, { kind: 'tls', commonName: commonNameOf(socket) });
      broker.handle(socket);
    },
  );
  tlsServer.on('connection', track);
  tlsServer.on('tlsClientError', (error, socket) => {
    const reason = handshakeRefusal(error, socket, options.certsDir);
    log({
      level: 'warn',
      event: 'refused',
      msg: `refused TLS connection from ${socket.remoteAddress ?? 'a closed socket'}: ${reason}`,
      reason,
    });
  });

  const plainServer =
    options.plainPort === undefined
      ? undefined
      : createNetServer((socket) => {
          track(socket);
          credentials.set(socket, { kind: 'plain' });
          broker.handle(socket);
        });

  let tlsPort: number;
  let plainPort: number | undefined;
  try {
    tlsPort = await listen(tlsServer, options.tlsPort);
    plainPort =
      plainServer === undefined || options.plainPort === undefined
        ? undefined
        : await listen(plainServer, options.plainPort);
  } catch (error) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    if (tlsServer.listening) await closeServer(tlsServer);
    throw new Error(
      `the broker could not listen (TLS port ${options.tlsPort}${options.plainPort === undefined ? '' : `, plain port ${options.plainPort}`}): ${error instanceof Error ? error.message : String(error)}; choose another port with --tls-port or --port`,
    );
  }
  const urls = [`mqtts://127.0.0.1:${tlsPort}`, ...(plainPort === undefined ? [] : [`mqtt://127.0.0.1:${plainPort}`])];
  log({ level: 'info', event: 'listening', msg: `listening on ${urls.join(', ')}` });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await Promise.all([closeServer(tlsServer), ...(plainServer === undefined ? [] : [closeServer(plainServer)])]);
    })();
    return closing;
  };
  return { urls, tlsPort, plainPort, close };
};
