public import HTTPTypes

/// Every route a process knows, looked up by method and raw path.
///
/// A trie over path segments keeps lookup independent of the number of routes; literal segments win over
/// parameters so `/rooms/{roomId}/state` and `/rooms/{roomId}/{anything}` never shadow each other.
public struct RouteRegistry: Sendable {
    public private(set) var routes: [Route] = []
    private var root = Node()

    public init(_ routes: [Route] = []) {
        for route in routes { add(route) }
    }

    public mutating func add(_ route: Route) {
        precondition(
            !routes.contains { $0.method == route.method && $0.path == route.path },
            "route registered twice: \(route.method) \(route.path)"
        )
        root.insert(route, index: routes.count, segments: route.path.segments[...])
        routes.append(route)
    }

    public mutating func add(_ more: some Sequence<Route>) {
        for route in more { add(route) }
    }

    public enum Match {
        case found(Route, parameters: [String: String])
        /// The path exists but not with this method: the spec's 405 `M_UNRECOGNIZED`.
        case methodNotAllowed(allowed: [HTTPRequest.Method])
        case notFound
    }

    /// Looks up already percent-decoded path segments.
    public func match(_ method: HTTPRequest.Method, segments: [String]) -> Match {
        guard let node = root.find(segments[...]) , !node.routeIndices.isEmpty else { return .notFound }
        let candidates = node.routeIndices.map { routes[$0] }
        let effectiveMethod = method == .head ? HTTPRequest.Method.get : method
        guard let route = candidates.first(where: { $0.method == effectiveMethod }) else {
            return .methodNotAllowed(allowed: candidates.map(\.method))
        }
        var parameters: [String: String] = [:]
        for (segment, value) in zip(route.path.segments, segments) {
            if case .parameter(let name) = segment { parameters[name] = value }
        }
        return .found(route, parameters: parameters)
    }

    private struct Node: Sendable {
        var literals: [String: Node] = [:]
        var parameter: [Node] = []
        /// Whether the parameter here may be an empty final segment: only a state key may, because a trailing
        /// slash is how clients send the empty one (`/state/m.room.topic/`).
        var parameterMayBeEmpty = false
        var routeIndices: [Int] = []

        mutating func insert(_ route: Route, index: Int, segments: ArraySlice<PathTemplate.Segment>) {
            guard let first = segments.first else {
                routeIndices.append(index)
                return
            }
            switch first {
            case .literal(let text):
                literals[text, default: Node()].insert(route, index: index, segments: segments.dropFirst())
            case .parameter(let name):
                if parameter.isEmpty { parameter.append(Node()) }
                if name == PathTemplate.emptyAllowedParameter, segments.count == 1 { parameterMayBeEmpty = true }
                parameter[0].insert(route, index: index, segments: segments.dropFirst())
            }
        }

        func find(_ segments: ArraySlice<String>) -> Node? {
            guard let first = segments.first else { return self }
            if let literal = literals[first], let found = literal.find(segments.dropFirst()), !found.routeIndices.isEmpty {
                return found
            }
            // Parameters never match an empty segment (`/rooms//state`), except a final state key.
            guard !first.isEmpty || (parameterMayBeEmpty && segments.count == 1), let child = parameter.first else { return nil }
            return child.find(segments.dropFirst())
        }
    }
}
