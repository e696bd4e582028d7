import MatrixTypes

extension EventAuthorizer {
    /// Whether an authorised redaction may take effect on `target` ("Handling redactions", rooms v3+): its sender
    /// needs the redact level, or must be on the same server as the target's sender. In rooms v1–v2 the
    /// authorisation rules already decided this, so an authorised redaction always applies.
    public static func mayApplyRedaction(_ redaction: PDU, to target: PDU, powerLevels: RoomPowerLevels) -> Bool {
        if redaction.version.authRules.checksRedactionsAndEventIDServer { return true }
        return powerLevels.userLevel(redaction.sender.rawValue) >= powerLevels.redact
            || redaction.sender.serverName == target.sender.serverName
    }
}
