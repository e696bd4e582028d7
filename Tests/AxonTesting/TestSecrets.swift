import Foundation
import Synchronization

/// Secrets the tests hand to servers (shared secrets, passwords, tokens). Each is appended to
/// `secrets.txt` in the log directory, and after the run `Tests/tools/check-logs.sh` fails if any of them
/// appears in a server's log.
public enum TestSecrets {
    private static let lock = Mutex(())

    public static func record(_ secret: String) {
        lock.withLock { _ in
            let file = TestEnvironment.logDirectory.appendingPathComponent("secrets.txt")
            let line = Data((secret + "\n").utf8)
            if let handle = try? FileHandle(forWritingTo: file) {
                handle.seekToEndOfFile()
                handle.write(line)
                try? handle.close()
            } else {
                _ = FileManager.default.createFile(atPath: file.path, contents: line)
            }
        }
    }
}
