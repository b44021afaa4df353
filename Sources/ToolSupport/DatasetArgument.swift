// DatasetArgument: a dataset on the command line, `NAME=FILE` or a FILE whose name names it
// (plotdist and cluster take datasets this way).
import ArgumentParser

/// `NAME=FILE`, or a FILE whose name (without directory and extension) names the dataset.
public struct DatasetArgument: Sendable {
    public var name: String
    public var path: String

    public init(parsing argument: String) throws {
        if let equals = argument.firstIndex(of: "="), !argument[..<equals].contains("/") {
            name = String(argument[..<equals])
            path = String(argument[argument.index(after: equals)...])
        } else {
            path = argument
            let file = argument.split(separator: "/").last.map(String.init) ?? argument
            name = file.split(separator: ".").first.map(String.init) ?? file
        }
        guard !name.isEmpty, !path.isEmpty else { throw ValidationError("'\(argument)': datasets are NAME=FILE") }
    }

    /// Parses every argument and checks them before anything runs: no name twice, every file
    /// readable (a usage error names the argument; an unreadable file is fatal).
    public static func validated(_ arguments: [String]) throws -> [DatasetArgument] {
        let inputs = try arguments.map(DatasetArgument.init(parsing:))
        let names = inputs.map(\.name)
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw ValidationError("dataset \(duplicate) is named twice")
        }
        try ToolRun.checkReadable(inputs.map(\.path), kind: "")
        return inputs
    }
}
