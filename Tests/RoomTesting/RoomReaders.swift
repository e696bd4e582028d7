public import AccountData
import Accounts
import Replication
public import RoomStore
public import Rooms
public import Storage

/// A room reader over `store` as the server wires one: erased users and account data (ignore lists) read from the
/// same database, account data on its own stream.
public func makeRoomReader(store: RoomStore, database: any Database) async throws -> RoomReader {
    RoomReader(store: store, erasedUsers: ErasedUsers(database: database), accountData: try await makeAccountData(database: database))
}

/// The account data service on `database`, announcing on a bus of its own.
public func makeAccountData(database: any Database, bus: any ReplicationBus = InProcessBus()) async throws -> AccountDataService {
    AccountDataService(
        database: database, stream: .writing(try await StreamIDAllocator.open(stream: "account_data", instance: "main", database: database)), bus: bus
    )
}
