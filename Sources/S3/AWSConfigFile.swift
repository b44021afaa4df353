// AWSConfigFile: the INI files of the AWS CLI (~/.aws/credentials and ~/.aws/config), read
// the way the CLI reads them: `[name]` sections in credentials, `[profile name]` (and
// `[default]`) in config, `key = value` lines, `#`/`;` comments, indented sub-sections skipped.
import Records

/// The settings of one INI file, by section then key.
public struct AWSConfigFile: Sendable {
    public var sections: [String: [String: String]] = [:]

    public init(sections: [String: [String: String]] = [:]) {
        self.sections = sections
    }

    /// Parses INI text. `isConfigFile`: section names `profile X` become `X`.
    public init(text: String, isConfigFile: Bool) {
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.trimmingBlanks()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if rawLine.first == " " || rawLine.first == "\t" { continue }  // nested sub-section values
            if line.hasPrefix("["), line.hasSuffix("]") {
                var name = String(line.dropFirst().dropLast()).trimmingBlanks()
                if isConfigFile, name.hasPrefix("profile ") { name = String(name.dropFirst(8)).trimmingBlanks() }
                current = name
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard let section = current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingBlanks().lowercased()
            let value = line[line.index(after: equals)...].trimmingBlanks()
            sections[section]?[key] = value
        }
    }

    /// Reads a file; a missing file is empty (as for the CLI).
    public static func load(path: String, isConfigFile: Bool) -> AWSConfigFile {
        guard let reader = try? LineReader(path: path) else { return AWSConfigFile() }
        var lines: [String] = []
        while let line = try? reader.nextLine() { lines.append(line) }
        return AWSConfigFile(text: lines.joined(separator: "\n"), isConfigFile: isConfigFile)
    }

    public func value(_ key: String, profile: String) -> String? {
        sections[profile]?[key]
    }
}
