/// A reason the process cannot start, worded for the admin who reads it on the console.
struct StartupError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
