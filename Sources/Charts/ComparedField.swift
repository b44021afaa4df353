// ComparedField: what one plotdist table compares — the categories (its original table), any
// field of the records by path (`cluster`, `description.style.lighting`, …), or the keywords of
// each record's text — and how its lift is counted.
import Records

/// A field of `--field`.
public enum ComparedField: Sendable, Equatable, CustomStringConvertible {
    /// `categories`: the category table as plotdist always wrote it (a record without the
    /// array fails).
    case categories
    /// `keywords`: the terms of each record's text, each counted once per image in the shares.
    case keywords
    /// Any other path; a record without it is counted as missing.
    case path(FieldPath)

    /// The noise cluster, shown as a row and left out of the lift as the reference does.
    public static let noiseCluster = "-1"

    public init(parsing text: String) throws(PlotError) {
        switch text {
        case "categories": self = .categories
        case "keywords": self = .keywords
        default: self = .path(try FieldPath(parsing: text))
        }
    }

    public var description: String {
        switch self {
        case .categories: return "categories"
        case .keywords: return "keywords"
        case .path(let path): return path.description
        }
    }

    /// The name the table gives the field: nil for categories, whose table is unchanged.
    public var tableName: String? { self == .categories ? nil : description }

    /// The reference's units: term occurrences for keywords, images (noise left out) for clusters.
    public var liftRule: LiftRule {
        switch self {
        case .keywords: return LiftRule(unit: .occurrences)
        case .path(let path) where path.description == "cluster": return LiftRule(excluded: [Self.noiseCluster])
        case .categories, .path: return LiftRule()
        }
    }

    /// The values of one record (keywords: every term occurrence, repeats included).
    public func values(in record: Record) -> FieldPath.Values {
        switch self {
        case .categories:
            guard let categories = record["categories"]?.arrayValue?.compactMap(\.stringValue) else { return .missing }
            return .values(categories)
        case .keywords:
            guard let text = KeywordText.text(of: record) else { return .missing }
            return .values(KeywordText.terms(text))
        case .path(let path):
            return path.values(in: record)
        }
    }
}
