import Foundation
import Logging

/// Logs go to standard error (journald collects them under systemd). `AXON_LOG_LEVEL` picks the level.
enum LogSetup {
    static func bootstrap() {
        let level = ProcessInfo.processInfo.environment["AXON_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
