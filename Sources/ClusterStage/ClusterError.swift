// Why a cluster run cannot go on (bad input files, no vectors, clustering parameters).
import Posix

public struct ClusterError: Error, UserFacingError, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
