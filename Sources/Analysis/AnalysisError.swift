// AnalysisError: what goes wrong with vectors files and embedding fields, in one line naming
// the file (and row or record) so a person can find it.
import Posix

public struct AnalysisError: Error, UserFacingError, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public init(_ error: SystemError) { self.message = error.description }
    public var description: String { message }
}
