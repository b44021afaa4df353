// UserFacingError: what every library error a person may read conforms to, so a tool's main
// prints any of them the same way (`TOOL: error: MESSAGE`) and exits with the right status.

/// An error whose message is written for the person running the tool.
public protocol UserFacingError: Error {
    /// One line saying what went wrong and, where it helps, what to do next.
    var message: String { get }
    /// The process exit status when this error ends the run (1 unless the error says otherwise).
    var exitStatus: Int32 { get }
}

extension UserFacingError {
    public var exitStatus: Int32 { 1 }
}
