import MatrixTypes
import Storage

/// `/logout` and `/logout/all`. Logging out deletes the device, and with it every token bound to it.
public struct LogoutService: Sendable {
    let removal: any DeviceRemovalCoordinator
    let tokens: AccessTokenCache

    public func logOut(_ requester: Requester) async throws {
        try await DeviceRemoval.remove(.these([requester.deviceID]), of: requester.userID, coordinator: removal, tokens: tokens)
    }

    public func logOutEverywhere(_ requester: Requester) async throws {
        try await DeviceRemoval.remove(.allExcept(nil), of: requester.userID, coordinator: removal, tokens: tokens)
    }
}
