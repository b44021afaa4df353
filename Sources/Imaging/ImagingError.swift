// ImagingError: why an image could not be read, resized or written. The code is the
// snake_case `code` of the error record img-resize writes.
import Posix

/// Why an image could not be read or written; `code` is the error-record code.
public struct ImagingError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case corrupt, unsupportedFormat = "unsupported_format", tooLarge = "too_large", io = "io_error"
    }
    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

extension ImagingError: UserFacingError {}
