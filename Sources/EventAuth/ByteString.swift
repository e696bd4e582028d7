/// A string keyed by its UTF-8 bytes, for dictionaries of user IDs and event types read from events: Matrix
/// compares these byte for byte, while `String` keys would merge canonically equivalent spellings.
struct ByteString: Hashable {
    let bytes: [UInt8]

    init(_ text: some StringProtocol) {
        bytes = Array(text.utf8)
    }
}
