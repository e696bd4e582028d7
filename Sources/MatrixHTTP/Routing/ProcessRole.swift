/// Which Axon executable answers a route. The monolith (`main`) answers every route; in worker mode each
/// worker answers only its own, and nginx routing is generated from the same table.
public enum ProcessRole: String, Sendable, CaseIterable, Hashable {
    case main
    case clientReader = "client_reader"
    case federationReceiver = "federation_receiver"
    case federationSender = "federation_sender"
    case media
    case eventPersister = "event_persister"

    /// The executable that runs this role.
    public var executableName: String {
        switch self {
        case .main: "axon"
        case .clientReader: "axon-client-reader"
        case .federationReceiver: "axon-federation-receiver"
        case .federationSender: "axon-federation-sender"
        case .media: "axon-media"
        case .eventPersister: "axon-event-persister"
        }
    }
}
