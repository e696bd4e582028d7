import HTTPTypes

/// The headers the Client-Server API asks every response to carry so browser clients work from any origin.
enum CORS {
    static let headers: HTTPFields = [
        .accessControlAllowOrigin: "*",
        .accessControlAllowMethods: "GET, HEAD, POST, PUT, DELETE, OPTIONS",
        .accessControlAllowHeaders: "X-Requested-With, Content-Type, Authorization, Date",
    ]
}
