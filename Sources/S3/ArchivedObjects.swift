// ArchivedObjects: S3 storage classes whose objects cannot be read without a restore, and the
// restore request's options and outcomes.

/// Storage classes that answer GET with 403 InvalidObjectState until restored. GLACIER_IR is
/// readable; Intelligent-Tiering's archive tiers show as INTELLIGENT_TIERING in a listing
/// (only a GET tells), so they are not counted here.
public enum ArchivedObjects {
    public static let storageClasses: Set<String> = ["GLACIER", "DEEP_ARCHIVE"]

    public static func isArchived(storageClass: String?) -> Bool {
        storageClass.map { storageClasses.contains($0) } ?? false
    }
}

/// The retrieval tier of a restore (Bulk is the cheapest and the default).
public enum RestoreTier: String, Sendable, CaseIterable {
    case bulk = "Bulk"
    case standard = "Standard"
    case expedited = "Expedited"
}

/// What a RestoreObject request achieved.
public enum RestoreRequestState: Sendable, Equatable {
    /// 202: a restore started now.
    case started
    /// 409 RestoreAlreadyInProgress: an earlier request is still running.
    case inProgress
    /// 200: a restored copy is already there (the GET raced it, or it was just finished).
    case alreadyRestored
    /// Anything else: the answer, for the record's message.
    case failed(String)

    public init(status: Int, body: [UInt8]) {
        switch status {
        case 202: self = .started
        case 200: self = .alreadyRestored
        default:
            let error = S3ErrorBody(xml: body)
            self = error.code == "RestoreAlreadyInProgress" ? .inProgress : .failed("HTTP \(status) \(error.code) \(error.message)")
        }
    }
}
