import Accounts
public import MatrixTypes
public import Rooms
import RoomStore
public import Storage

/// Aliases and listing as room creation, joins and `m.room.canonical_alias` checks use them, answering in the room
/// services' errors.
public struct RoomAliasRegistry: RoomAliases {
    private let aliases: AliasService
    private let publication: PublicationPolicy
    private let remote: (any RemoteDirectories)?

    public init(database: any Database, publication: PublicationPolicy, remote: (any RemoteDirectories)? = nil) {
        self.aliases = AliasService(database: database)
        self.publication = publication
        self.remote = remote
    }

    public func remoteRoom(for alias: RoomAlias) async throws(RoomError) -> (roomID: RoomID, servers: [ServerName]) {
        guard let remote else { throw .aliasNotFound }
        let resolved = try await roomError { () async throws(DirectoryError) in try await remote.resolve(alias) }
        return (resolved.roomID, resolved.servers.compactMap { try? ServerName($0) })
    }

    public func roomID(for alias: RoomAlias) async throws(RoomError) -> RoomID? {
        try await roomError { () async throws(DirectoryError) in try await aliases.roomID(for: alias) }
    }

    public func reserve(_ alias: RoomAlias, creator: UserID) async throws(RoomError) {
        try await roomError { () async throws(DirectoryError) in try await aliases.reserve(alias, creator: creator) }
    }

    public func release(_ alias: RoomAlias) async {
        await aliases.release(alias)
    }

    public func bind(_ alias: RoomAlias, to roomID: RoomID) async throws(RoomError) {
        try await roomError { () async throws(DirectoryError) in try await aliases.bind(alias, to: roomID) }
    }

    public func publishNewRoom(_ roomID: RoomID, creator: UserID, alias: RoomAlias?) async throws(RoomError) {
        guard publication.allows(creator, roomID: roomID, aliases: alias.map { [$0.rawValue] } ?? []) else { return }
        try await roomError { () async throws(DirectoryError) in try await aliases.setListed(true, roomID: roomID) }
    }

    private func roomError<T>(_ body: () async throws(DirectoryError) -> T) async throws(RoomError) -> T {
        do {
            return try await body()
        } catch .aliasInUse {
            throw .aliasInUse
        } catch .aliasNotFound {
            throw .aliasNotFound
        } catch .remoteUnavailable(let reason) {
            throw .remoteUnavailable(reason)
        } catch .room(let error) {
            throw error
        } catch .storage(let error) {
            throw .storage(.storage(error))
        } catch {
            throw RoomError(wrapping: error)
        }
    }
}
