import AxonConfig
import Foundation
import Federation
import FederationAPI
import Logging
import MatrixHTTP
import MatrixCrypto
import MatrixTypes
import NIOCore
import NIOHTTP1
import RoomFederation

/// This process's side of federation: the transport with the outbound address policy and TLS trust from the config,
/// server-name resolution, the client, other servers' keys (asked of the `trusted_key_servers`, then of each server,
/// through the client), and the check of inbound signatures.
struct FederationServices: Sendable {
    /// Requests to other servers, signed as this server.
    let client: FederationClient
    /// Other servers' keys, for checking their requests and answering as a notary.
    let keys: RemoteServerKeys
    let authenticator: FederationAuthenticator
    /// `rc_federation`, per origin, shared by every listener of the process.
    let limiter: FederationRateLimiter
    /// Checks events other servers built.
    let verifier: ReceivedPDUVerifier
    /// This server's keys as it publishes them: the current one and `old_signing_keys`.
    let publication: ServerKeyPublication

    init(config: HomeserverConfig, serverName: ServerName, signingKey: SigningKey, logger: Logger) throws {
        var retired: [ServerKeyPublication.RetiredKey] = []
        for (keyID, old) in config.keys.oldSigningKeys.sorted(by: { $0.key < $1.key }) {
            guard let key = try? VerifyKey(keyID: keyID, base64: old.key) else {
                throw StartupError("old_signing_keys.\(keyID).key is not an unpadded base64 Ed25519 public key.")
            }
            retired.append(.init(key: key, expiredTimestamp: Int64(old.expiredTimestamp)))
        }
        publication = ServerKeyPublication(
            serverName: serverName, signingKey: signingKey, retired: retired, validity: Int64(config.keys.keyRefreshInterval)
        )
        let policy = OutboundAddressPolicy(blacklist: config.federation.ipRangeBlacklist, whitelist: config.federation.ipRangeWhitelist)
        let timing = config.federation.timing
        let configuredDNS = try config.federation.dnsServers.map { try SocketAddress(ipAddress: $0.address, port: $0.port) }
        let dns = DNSClient(servers: configuredDNS.isEmpty ? Self.systemNameServers() : configuredDNS)
        let transport: FederationTransport
        do {
            transport = try FederationTransport(
                policy: policy, verifyCertificates: config.federation.verifyCertificates, trustedAuthorities: config.federation.customCAList,
                addresses: HostAddresses(dns: configuredDNS.isEmpty ? nil : dns), timeout: .milliseconds(timing.clientTimeout)
            )
        } catch {
            throw StartupError("federation_custom_ca_list: cannot read the certificate authorities \(config.federation.customCAList): \(error)")
        }
        let lookup = WellKnownServerLookup(transport: transport)
        let services = ServiceRecordLookup(dns: dns)
        let resolver = ServerNameResolver(lookUp: { await lookup.lookUp($0) }, services: { name throws(DNSMessage.Failure) in try await services.records(for: name) })
        let retries = FederationRetryPolicy(
            maxShortRetries: timing.maxShortRetries, maxShortRetryDelay: .milliseconds(timing.maxShortRetryDelay),
            maxLongRetries: timing.maxLongRetries, maxLongRetryDelay: .milliseconds(timing.maxLongRetryDelay),
            destinationMinRetryInterval: .milliseconds(timing.destinationMinRetryInterval),
            destinationRetryMultiplier: timing.destinationRetryMultiplier, destinationMaxRetryInterval: .milliseconds(timing.destinationMaxRetryInterval)
        )
        let client = FederationClient(serverName: serverName, signingKey: signingKey, resolver: resolver, transport: transport, retries: retries)
        let notaries = config.keys.trustedKeyServers.compactMap { trusted -> TrustedNotary? in
            guard let name = try? ServerName(trusted.serverName) else { return nil }
            let verifyKeys = (trusted.verifyKeys ?? [:]).compactMap { keyID, base64 in try? VerifyKey(keyID: keyID, base64: base64) }
            return TrustedNotary(serverName: name, verifyKeys: verifyKeys)
        }
        // Keys are fetched while a request waits to be authenticated: one try each, within Synapse's 10 s.
        let keyTimeout = Duration.seconds(10)
        let direct: RemoteServerKeys.Fetch = { server in
            try await client.get("/_matrix/key/v2/server", from: server, signed: false, retrying: false, timeout: keyTimeout)
        }
        let sources = ServerKeySources(
            notaries: notaries,
            query: { notary, body in
                try await client.send(.POST, "/_matrix/key/v2/query", to: notary, content: body, retrying: false, timeout: keyTimeout)
            },
            direct: direct
        )
        let keys = RemoteServerKeys(
            fetch: { server in try await sources.fetch(server) }, fallback: notaries.isEmpty ? nil : direct, logger: logger
        )
        self.client = client
        self.keys = keys
        let limits = config.rateLimits.federation
        limiter = FederationRateLimiter(.init(
            window: .milliseconds(limits.windowSize), sleepLimit: limits.sleepLimit, sleepDelay: .milliseconds(limits.sleepDelay),
            rejectLimit: limits.rejectLimit, concurrent: limits.concurrent
        ))
        authenticator = FederationAuthenticator(receiver: serverName, keys: keys, logger: logger)
        verifier = ReceivedPDUVerifier(keys: keys, serverName: serverName, ownKeys: publication)
    }

    /// The name servers `/etc/resolv.conf` lists, as the C library reads them.
    static func systemNameServers() -> [SocketAddress] {
        DNSClient.servers(resolvConf: (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? "")
    }
}
