/// The commented `homeserver.yaml` that `axon generate-config` writes: a single process on SQLite,
/// reachable only from this machine until the admin puts a reverse proxy in front of it.
public enum ConfigTemplate {
    /// - Parameters:
    ///   - serverName: the Matrix server name; it is part of every user ID and cannot change later.
    ///   - dataDirectory: absolute directory for the database, media and signing key.
    ///   - port: the HTTP port to listen on.
    ///   - publicBaseURL: the URL clients use; left commented out (so Synapse's default applies) when `nil`.
    ///   - registrationSharedSecret: the admin registration secret; a fresh random one by default.
    public static func render(
        serverName: String, dataDirectory: String, port: Int = 8008, publicBaseURL: String? = nil,
        registrationSharedSecret: String = randomSecret()
    ) -> String {
        let directory = dataDirectory.hasSuffix("/") && dataDirectory.count > 1 ? String(dataDirectory.dropLast()) : dataDirectory
        let baseURL = publicBaseURL.map { "public_baseurl: \(quoted($0))" }
            ?? "#public_baseurl: \"https://\(serverName)/\""
        return """
            # Axon homeserver configuration. Keys and defaults follow Synapse's homeserver.yaml, so
            # Synapse's documentation applies: https://element-hq.github.io/synapse/latest/usage/configuration/

            # The server's Matrix name: it ends every user ID (@alice:\(serverName)) and cannot be changed later.
            server_name: \(quoted(serverName))

            # The URL clients reach this server at, ending in a slash. Defaults to https://<server_name>/.
            \(baseURL)

            # Where Axon accepts connections. This listener serves clients and other servers over plain HTTP on
            # loopback only; put a TLS reverse proxy (nginx) in front of it, which sets X-Forwarded-For.
            listeners:
              - port: \(port)
                bind_addresses: ['127.0.0.1']
                type: http
                tls: false
                x_forwarded: true
                resources:
                  - names: [client, federation, health]
                    compress: false

            # The database. SQLite suits a single process; use PostgreSQL (name: psycopg2) to run workers.
            database:
              name: sqlite3
              args:
                database: \(quoted("\(directory)/homeserver.db"))

            # Uploaded and cached remote media.
            media_store_path: \(quoted("\(directory)/media_store"))
            # The largest upload accepted; keep nginx's client_max_body_size at least this large.
            max_upload_size: 50M

            # Link previews: the server fetches pages users post. Turning them on needs the blacklist below
            # uncommented (Axon refuses to start without it), so previews cannot reach this server's own networks.
            url_preview_enabled: false
            #url_preview_ip_range_blacklist:
            #  - '127.0.0.0/8'
            #  - '10.0.0.0/8'
            #  - '172.16.0.0/12'
            #  - '192.168.0.0/16'
            #  - '100.64.0.0/10'
            #  - '192.0.0.0/24'
            #  - '169.254.0.0/16'
            #  - '192.88.99.0/24'
            #  - '198.18.0.0/15'
            #  - '192.0.2.0/24'
            #  - '198.51.100.0/24'
            #  - '203.0.113.0/24'
            #  - '224.0.0.0/4'
            #  - '::1/128'
            #  - 'fe80::/10'
            #  - 'fc00::/7'
            #  - '2001:db8::/32'
            #  - 'ff00::/8'
            #  - 'fec0::/10'

            # The key this server signs events and federation requests with. Keep it safe and never change it.
            signing_key_path: \(quoted("\(directory)/\(serverName).signing.key"))

            # Servers trusted to vouch for other servers' signing keys.
            trusted_key_servers:
              - server_name: "matrix.org"

            # Anyone may create an account when true; that also needs registration_requires_token or
            # enable_registration_without_verification, so open sign-up is a deliberate choice.
            enable_registration: false

            # Lets an admin create accounts with `register_new_matrix_user -c homeserver.yaml`. Keep it secret.
            registration_shared_secret: \(quoted(registrationSharedSecret))

            # TURN servers for voice and video calls. With coturn's use-auth-secret, give it the same secret as its
            # static-auth-secret: clients then get credentials valid for turn_user_lifetime. Guests get them too
            # unless turn_allow_guests is false.
            #turn_uris: ["turn:turn.\(serverName)?transport=udp", "turn:turn.\(serverName)?transport=tcp"]
            #turn_shared_secret: "the static-auth-secret of coturn"
            #turn_user_lifetime: 1h

            # Synapse's anonymous usage statistics; accepted for compatibility and never sent by Axon.
            report_stats: false

            """
    }

    /// 48 random letters and digits from the system's secure generator (about 285 bits).
    public static func randomSecret() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<48).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// A YAML double-quoted scalar, so any name or path round-trips exactly.
    static func quoted(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                escaped += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return "\"\(escaped)\""
    }
}
