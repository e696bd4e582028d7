import AxonConfig
import Federation
import FederationAPI
import Logging
import MatrixHTTP
import MatrixCrypto
import MatrixTypes
import RoomFederation

/// This process's side of federation: the transport with the outbound address policy and TLS trust from the config,
/// server-name resolution, the client, other servers' keys (fetched through it), and the check of inbound signatures.
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

    init(config: HomeserverConfig, serverName: ServerName, signingKey: SigningKey, logger: Logger) throws {
        let blocked = config.federation.ipRangeBlacklist
        let allowed = config.federation.ipRangeWhitelist
        let policy = OutboundAddressPolicy { address in
            allowed.contains { $0.contains(address) } || !blocked.contains { $0.contains(address) }
        }
        let transport: FederationTransport
        do {
            transport = try FederationTransport(
                policy: policy, verifyCertificates: config.federation.verifyCertificates, trustedAuthorities: config.federation.customCAList
            )
        } catch {
            throw StartupError("federation_custom_ca_list: cannot read the certificate authorities \(config.federation.customCAList): \(error)")
        }
        let lookup = WellKnownServerLookup(transport: transport)
        let resolver = ServerNameResolver(lookUp: { await lookup.lookUp($0) })
        let client = FederationClient(serverName: serverName, signingKey: signingKey, resolver: resolver, transport: transport)
        let keys = RemoteServerKeys(
            fetch: { server in try await client.get("/_matrix/key/v2/server", from: server, signed: false) }, logger: logger
        )
        self.client = client
        self.keys = keys
        let limits = config.rateLimits.federation
        limiter = FederationRateLimiter(.init(
            window: .milliseconds(limits.windowSize), sleepLimit: limits.sleepLimit, sleepDelay: .milliseconds(limits.sleepDelay),
            rejectLimit: limits.rejectLimit, concurrent: limits.concurrent
        ))
        authenticator = FederationAuthenticator(receiver: serverName, keys: keys, logger: logger)
        verifier = ReceivedPDUVerifier(keys: keys, serverName: serverName, ownKey: signingKey.verifyKey)
    }
}
