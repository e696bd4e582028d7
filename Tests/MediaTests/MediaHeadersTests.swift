import Media
import Testing

/// What media is served with, and the file names other servers send.
@Suite struct MediaHeadersTests {
    @Test func onlyPassiveTypesAreShownInline() {
        #expect(MediaHeaders.contentDisposition(contentType: "image/png", fileName: nil) == "inline")
        #expect(MediaHeaders.contentDisposition(contentType: "Image/PNG; x=y", fileName: nil) == "inline")
        for active in ["text/html", "image/svg+xml", "application/javascript", "text/xml", "application/octet-stream", "text/html; charset=utf-8"] {
            #expect(MediaHeaders.contentDisposition(contentType: active, fileName: nil) == "attachment", "\(active)")
        }
    }

    @Test func fileNamesAreTokensOrPercentEncoded() {
        #expect(MediaHeaders.contentDisposition(contentType: "text/plain", fileName: "a.txt") == "inline; filename=a.txt")
        #expect(MediaHeaders.contentDisposition(contentType: "text/html", fileName: "a b;c\".html") == "attachment; filename*=utf-8''a%20b%3Bc%22.html")
        #expect(MediaHeaders.contentDisposition(contentType: "image/png", fileName: "café.png") == "inline; filename*=utf-8''caf%C3%A9.png")
    }

    @Test func textTypesNameTheirCharset() {
        #expect(MediaHeaders.contentType("text/plain") == "text/plain; charset=UTF-8")
        #expect(MediaHeaders.contentType("text/plain; charset=latin1") == "text/plain; charset=latin1")
        #expect(MediaHeaders.contentType("image/png") == "image/png")
    }

    @Test func fileNamesAreReadFromOtherServersDispositions() {
        #expect(MediaHeaders.fileName(fromDisposition: "inline; filename=a.png") == "a.png")
        #expect(MediaHeaders.fileName(fromDisposition: "attachment; filename=\"a b.png\"") == "a b.png")
        #expect(MediaHeaders.fileName(fromDisposition: "inline; filename=plain.png; filename*=utf-8''caf%C3%A9.png") == "café.png")
        #expect(MediaHeaders.fileName(fromDisposition: "inline; filename*=utf-8''%FF") == nil)
        #expect(MediaHeaders.fileName(fromDisposition: "inline") == nil)
    }
}
