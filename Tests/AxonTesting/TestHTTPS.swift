import Foundation

/// HTTPS requests trusting only a test CA, made with Debian's Python so the certificate and host name are checked by
/// software we did not write.
public enum TestHTTPS {
    /// The status and body of `GET url` with `headers`, trusting only the CA certificate at `ca`; status 0 when no
    /// HTTP answer came (a refused certificate, an unreachable host).
    public static func get(_ url: String, headers: [String: String] = [:], trusting ca: String) async throws -> (status: Int, body: String) {
        let headerJSON = try String(data: JSONSerialization.data(withJSONObject: headers), encoding: .utf8) ?? "{}"
        let result = try await ChildProcess.run("/usr/bin/python3", [
            "-c",
            """
            import json, ssl, sys, urllib.error, urllib.request
            context = ssl.create_default_context(cafile=sys.argv[2])
            request = urllib.request.Request(sys.argv[1], headers=json.loads(sys.argv[3]))
            try:
                response = urllib.request.urlopen(request, context=context)
                print(response.status, response.read().decode())
            except urllib.error.HTTPError as error:
                print(error.code, error.read().decode())
            """,
            url, ca, headerJSON,
        ])
        let output = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0 else { return (0, output) }
        let status = Int(output.prefix { $0 != " " }) ?? 0
        return (status, String(output.drop { $0 != " " }.dropFirst()))
    }
}
