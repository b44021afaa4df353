// RecordParsing: a tool's NDJSON output read back strictly — a line that is not a JSON object
// fails the test, it is never dropped, so a torn or doubled line cannot hide.
import Records
import Testing

/// The records of NDJSON `text` (blank lines aside); each line that is not a JSON object is
/// recorded as an issue naming its number.
public func strictRecords(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Record] {
    var records: [Record] = []
    for (number, line) in text.split(separator: "\n").enumerated() {
        guard let record = try? JSONParser.parse(Array(line.utf8)).objectValue else {
            Issue.record("line \(number + 1) is not a JSON object: \(line.prefix(200))", sourceLocation: sourceLocation)
            continue
        }
        records.append(record)
    }
    return records
}

/// The records of NDJSON lines, or nil (with an issue recorded for each bad line) when any
/// line is not a JSON object: for `try #require(parseRecords(result.stdoutLines))`.
public func parseRecords(_ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) -> [Record]? {
    let nonEmpty = lines.filter { !$0.isEmpty }
    let records = strictRecords(nonEmpty.joined(separator: "\n"), sourceLocation: sourceLocation)
    return records.count == nonEmpty.count ? records : nil
}
