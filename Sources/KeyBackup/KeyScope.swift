public import MatrixTypes

/// Which of a backup's keys a read or delete concerns: all, one room's, or one session's.
public enum KeyScope: Sendable, Equatable {
    case all
    case room(RoomID)
    case session(RoomID, sessionID: String)
}
