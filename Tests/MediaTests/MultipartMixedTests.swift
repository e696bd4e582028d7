import Media
import NIOCore
import Testing

/// The federation media framing: what the writer frames, the reader takes apart, however the bytes are split on the
/// way; bytes that look like the start of the boundary inside the media stay media.
@Suite struct MultipartMixedTests {
    static func framed(_ media: [UInt8], boundary: String) -> [UInt8] {
        var head = MultipartMixed.head(boundary: boundary, contentType: "image/png", disposition: "inline; filename=a.png")
        var tail = MultipartMixed.tail(boundary: boundary)
        return Array(head.readBytes(length: head.readableBytes)!) + media + Array(tail.readBytes(length: tail.readableBytes)!)
    }

    static func read(_ bytes: [UInt8], boundary: String, splitAt cuts: [Int]) throws -> (headers: [String: String]?, media: [UInt8], complete: Bool) {
        var reader = MultipartMixedReader(boundary: boundary)
        var headers: [String: String]?
        var media: [UInt8] = []
        var start = 0
        for cut in cuts + [bytes.count] where cut >= start {
            for event in try reader.feed(ByteBuffer(bytes: bytes[start..<cut])) {
                switch event {
                case .mediaHead(let head): headers = head
                case .mediaBytes(let chunk): media += chunk.readableBytesView
                case .end: break
                }
            }
            start = cut
        }
        return (headers, media, reader.isComplete)
    }

    @Test func everySplitOfTheAnswerGivesTheSameMedia() throws {
        let boundary = "6b1f0c"
        // Media holding a CRLF and a partial delimiter, which must not end it.
        let media = Array("ab\r\n--6b1f0cX\r\n--6b1f".utf8) + [0, 255, 13, 10]
        let bytes = Self.framed(media, boundary: boundary)
        for cut in 0...bytes.count {
            let read = try Self.read(bytes, boundary: boundary, splitAt: [cut])
            #expect(read.media == media, "split at \(cut)")
            #expect(read.complete && read.headers?["content-type"] == "image/png" && read.headers?["content-disposition"] == "inline; filename=a.png")
        }
        let byteByByte = try Self.read(bytes, boundary: boundary, splitAt: Array(0...bytes.count))
        #expect(byteByByte.media == media && byteByByte.complete)
    }

    @Test func aPreambleAndAnEmptyMetadataPartAreAccepted() throws {
        let bytes = Array("\r\n--b\r\n\r\n{}\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n".utf8)
        let read = try Self.read(bytes, boundary: "b", splitAt: [])
        #expect(read.media == Array("hello".utf8) && read.complete && read.headers?["content-type"] == "text/plain")
    }

    @Test func anAnswerWithoutItsClosingDelimiterIsIncomplete() throws {
        let bytes = Array(Self.framed(Array("partial".utf8), boundary: "b").dropLast(8))
        #expect(try !Self.read(bytes, boundary: "b", splitAt: []).complete)
    }

    @Test func unboundedHeadersAndMetadataAreRefused() {
        var reader = MultipartMixedReader(boundary: "b")
        #expect(throws: MultipartError.self) { _ = try reader.feed(ByteBuffer(bytes: [UInt8](repeating: 65, count: 70_000))) }
        var metadata = MultipartMixedReader(boundary: "b")
        #expect(throws: MultipartError.self) {
            _ = try metadata.feed(ByteBuffer(string: "--b\r\nContent-Type: application/json\r\n\r\n" + String(repeating: " ", count: 70_000)))
        }
    }

    @Test func theBoundaryIsReadFromTheContentType() {
        #expect(MultipartMixed.boundary(fromContentType: "multipart/mixed; boundary=abc") == "abc")
        #expect(MultipartMixed.boundary(fromContentType: "Multipart/Mixed;boundary=\"a b\"") == "a b")
        #expect(MultipartMixed.boundary(fromContentType: "multipart/form-data; boundary=abc") == nil)
        #expect(MultipartMixed.boundary(fromContentType: "multipart/mixed") == nil)
    }
}
