import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A program started by a test with `posix_spawn`.
///
/// Foundation's `Process` on Linux can crash the test runner while spawning (it walks `/proc/self/fd` and reads
/// entry names past their end), and its children inherit a blocked signal mask, so programs that keep the mask
/// (Python) never see SIGTERM. Children started here get an empty mask, default signal handlers and no descriptor
/// of the runner but the three standard ones.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    private let finished = Mutex<Int32?>(nil)

    /// Where the child's standard output and error go.
    public enum Output: Sendable {
        /// Appended to the file at this path (created if missing).
        case file(String)
        /// Into the write end of a pipe.
        case pipe(writer: Int32)
    }

    /// Starts `executable` (an absolute path). `input`, when given, is the read end of a pipe for standard input;
    /// otherwise standard input is `/dev/null`. Descriptors passed in are left open for the caller to close.
    public init(
        executable: String, arguments: [String], environment: [String: String], currentDirectory: String? = nil,
        input: Int32? = nil, output: Output
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input {
            posix_spawn_file_actions_adddup2(&actions, input, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        switch output {
        case .file(let path):
            posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        case .pipe(let writer):
            posix_spawn_file_actions_adddup2(&actions, writer, 1)
            posix_spawn_file_actions_adddup2(&actions, writer, 2)
        }
        spawnActionCloseFrom(&actions, 3)  // the runner's sockets and files stay out of the child
        if let currentDirectory { spawnActionChangeDirectory(&actions, currentDirectory) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw ServerProcess.ProcessFailure(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
    }

    /// The exit status once the child has finished (128 + signal number when a signal ended it); nil while it runs.
    public var exitStatus: Int32? {
        finished.withLock { known in
            if let known { return known }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
            let low = status & 0x7f
            known = low == 0 ? (status >> 8) & 0xff : 128 + low
            return known
        }
    }

    public var isRunning: Bool { exitStatus == nil }

    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits for the child to finish and returns its exit status.
    public func waitForExit() async -> Int32 {
        while true {
            if let status = exitStatus { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Runs `executable` to completion, writing `input` to its standard input; returns its status and combined output.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String? = nil, input: String = ""
    ) async throws -> (status: Int32, output: String) {
        let output = try Self.pipe()
        let stdin = try Self.pipe()
        let child: ChildProcess
        do {
            child = try ChildProcess(
                executable: executable, arguments: arguments, environment: environment, currentDirectory: currentDirectory,
                input: stdin.reader, output: .pipe(writer: output.writer)
            )
        } catch {
            [output.reader, output.writer, stdin.reader, stdin.writer].forEach { close($0) }
            throw error
        }
        close(output.writer)
        close(stdin.reader)
        _ = Glibc.signal(SIGPIPE, SIG_IGN)  // a child that exits without reading its input must not end the test runner
        let written = Task.detached { Self.writeAll(Array(input.utf8), to: stdin.writer) }
        let data = await Task.detached { Self.readAll(output.reader) }.value
        await written.value
        let status = await child.waitForExit()
        return (status, String(decoding: data, as: UTF8.self))
    }

    private static func pipe() throws -> (reader: Int32, writer: Int32) {
        var ends: [Int32] = [0, 0]
        guard pipeClosedOnExec(&ends, O_CLOEXEC) == 0 else {
            throw ServerProcess.ProcessFailure(description: "pipe2: \(String(cString: strerror(errno)))")
        }
        return (ends[0], ends[1])
    }

    /// Writes everything, then closes the descriptor so the child sees the end of its input.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            offset += count
        }
    }

    /// Reads until end of file, then closes the descriptor.
    private static func readAll(_ descriptor: Int32) -> Data {
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return data }
            data.append(contentsOf: buffer[..<count])
        }
    }
}

// glibc functions the Swift Glibc module does not import (they are GNU extensions). Close-on-exec from the start
// matters: a child spawned concurrently must not inherit another child's pipe and hold it open.
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func spawnActionChangeDirectory(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32

@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func spawnActionCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32

@_silgen_name("pipe2")
private func pipeClosedOnExec(_ ends: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
