/// An error type that carries storage failures: the one path by which a database error becomes a module's own error.
/// Each conforming type decides once how to wrap; `catching` runs work and lets the type's own errors through.
public protocol StorageFailureWrapping: Error {
    /// Wraps a failure that is not of this type (a `StorageError`, another module's error, anything else).
    init(wrapping error: any Error)
}

extension StorageFailureWrapping {
    /// Runs `body`, reporting any failure as `Self`.
    public nonisolated(nonsending) static func catching<T, Failure: Error>(_ body: () async throws(Failure) -> T) async throws(Self) -> T {
        do {
            return try await body()
        } catch let error as Self {
            throw error
        } catch {
            throw Self(wrapping: error)
        }
    }

    /// Runs `body` (synchronous work, such as one table call inside a transaction), reporting any failure as `Self`.
    public static func catchingNow<T, Failure: Error>(_ body: () throws(Failure) -> T) throws(Self) -> T {
        do {
            return try body()
        } catch let error as Self {
            throw error
        } catch {
            throw Self(wrapping: error)
        }
    }
}

/// A storage error wraps anything else as a failed query carrying its description, so a module's error can hold one
/// `StorageError` for every failure below it.
extension StorageError: StorageFailureWrapping {
    public init(wrapping error: any Error) {
        self = error as? StorageError ?? .queryFailed(message: "\(error)")
    }
}
