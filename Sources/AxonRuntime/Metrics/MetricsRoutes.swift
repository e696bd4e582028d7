import HTTPTypes
import MatrixHTTP
import NIOCore
import Prometheus

/// The process's metrics in Prometheus' text format, at the path Synapse serves them on, so existing scrape configs
/// keep working. Registered only with `enable_metrics`.
enum MetricsRoutes {
    static func routes(registry: PrometheusCollectorRegistry) -> [Route] {
        [
            Route(.get, "/_synapse/metrics", resource: .metrics, role: .main) { _ in
                var text: [UInt8] = []
                registry.emit(into: &text)
                return MatrixResponse(body: .bytes(ByteBuffer(bytes: text), contentType: "text/plain; version=0.0.4; charset=utf-8"))
            }
        ]
    }
}
