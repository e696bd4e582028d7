/// A place in the directory's listing order, and the `/publicRooms` batch token naming it.
struct DirectoryCursor: Sendable, Hashable {
    var joinedMembers: Int64
    var roomID: String

    /// `<direction><joined members>_<room ID>`: `n` pages on after the entry, `p` back before it.
    func token(backward: Bool) -> String { "\(backward ? "p" : "n")\(joinedMembers)_\(roomID)" }

    /// The cursor and direction a token names, or `nil` for anything else.
    static func parse(_ token: String) -> (cursor: DirectoryCursor, backward: Bool)? {
        guard let direction = token.unicodeScalars.first, direction == "n" || direction == "p",
            let separator = token.firstIndex(of: "_"),
            let joined = Int64(token[token.index(after: token.startIndex)..<separator]), joined >= 0
        else { return nil }
        let roomID = String(token[token.index(after: separator)...])
        guard !roomID.isEmpty else { return nil }
        return (DirectoryCursor(joinedMembers: joined, roomID: roomID), direction == "p")
    }
}
