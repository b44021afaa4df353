// PlotError: a failure that ends a plotdist run (no dataset, nothing usable, a chart or report
// that cannot be written), with the exit status a shell script sees.

import Posix

/// A run-ending plotdist failure, one line for the person running the tool.
public struct PlotError: UserFacingError, CustomStringConvertible, Sendable {
    public var message: String
    public var exitStatus: Int32

    /// A failure of the run (status 1).
    public init(_ message: String, exitStatus: Int32 = 1) {
        self.message = message
        self.exitStatus = exitStatus
    }

    /// A bad argument (status 2, as for bad flags).
    public static func usage(_ message: String) -> PlotError {
        PlotError(message, exitStatus: 2)
    }

    public var description: String { message }
}
