import Accounts
import Logging
import MatrixTypes

/// The user-interactive-auth challenge, the one account error whose body is more than `{errcode, error}`.
extension ErrorMapping {
    static func uiaChallenge(_ error: any Error) -> UIAChallenge? {
        if case UIAError.incomplete(let challenge) = error { return challenge }
        return nil
    }

    /// `{"session", "flows": [{"stages"}], "params", "completed"}`, with `errcode` and `error` when the stage
    /// just attempted failed.
    static func body(of challenge: UIAChallenge, logger: Logger) -> JSONValue {
        var body: JSONObject = [
            "session": .string(challenge.session),
            "flows": .array(challenge.flows.map { ["stages": .array($0.map(JSONValue.string))] }),
            "params": [:],
        ]
        if let completed = challenge.completed { body["completed"] = .array(completed.map(JSONValue.string)) }
        if let failure = challenge.failure {
            let error = matrixError(for: failure, logger: logger)
            body["errcode"] = .string(error.code.rawValue)
            body["error"] = .string(error.message)
        }
        return .object(body)
    }
}
